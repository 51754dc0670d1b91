// Which components `venice up` starts and in what order: the enabled ones plus what they depend on,
// dependencies first, leaving out those an external service replaces.
import { COMPONENTS, componentNamed, type ComponentDefinition } from './components.js';
import type { VeniceConfig } from '../config/settings.js';

export interface StartPlan {
  /** In start order; stop in reverse. */
  start: ComponentDefinition[];
  /** Enabled but replaced by an external service, with the reason. */
  replaced: { component: ComponentDefinition; reason: string }[];
}

export function planStart(
  config: VeniceConfig,
  table: readonly ComponentDefinition[] = COMPONENTS,
): StartPlan {
  const byName = (name: string) => table.find((component) => component.name === name) ?? componentNamed(name);
  const order: ComponentDefinition[] = [];
  const visiting = new Set<string>();
  const visit = (name: string, neededBy: string | null) => {
    const component = byName(name);
    if (!component) {
      throw new Error(
        neededBy ? `${neededBy} depends on unknown component ${name}` : `unknown component ${name}`,
      );
    }
    if (order.includes(component)) return;
    if (visiting.has(name)) throw new Error(`components depend on each other in a cycle through ${name}`);
    visiting.add(name);
    for (const dependency of component.dependsOn) visit(dependency, name);
    visiting.delete(name);
    order.push(component);
  };
  for (const name of config.components) visit(name, null);

  const replaced: StartPlan['replaced'] = [];
  const start: ComponentDefinition[] = [];
  for (const component of order) {
    const reason = component.replacedBy(config);
    if (reason === null) start.push(component);
    else replaced.push({ component, reason });
  }
  return { start, replaced };
}

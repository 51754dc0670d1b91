// The VENICE_* environment variables, read into a ConfigLayer.
import { SETTINGS, SETTING_KEYS, parseInto, type ComponentCatalog, type ConfigLayer } from './settings.js';

export function readEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  catalog: ComponentCatalog,
): ConfigLayer {
  const layer: ConfigLayer = {};
  for (const key of SETTING_KEYS) {
    const name = SETTINGS[key].env;
    const value = environmentValue(env, name);
    if (value !== undefined) parseInto(layer, key, value, name, catalog);
  }
  return layer;
}

/** An empty variable counts as unset, as in most shells' ${VAR:-default}. */
export function environmentValue(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

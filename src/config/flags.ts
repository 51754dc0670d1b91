// The configuration flags as commander hands them over (`--kafka-port 19092` becomes
// `{ kafkaPort: '19092' }`), read into a ConfigLayer. Registering the flags is the CLI's job
// (src/cli/config-options.ts); both take the names from SETTINGS.
import { SETTINGS, SETTING_KEYS, parseInto, type ComponentCatalog, type ConfigLayer } from './settings.js';

/** Flag values by commander's attribute name; --config is the file to read. */
export interface ConfigFlags {
  config?: string;
  [attribute: string]: unknown;
}

/** The attribute commander stores a flag's value under: --broker-health-port becomes brokerHealthPort. */
export function flagAttribute(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

export function readFlags(flags: ConfigFlags, catalog: ComponentCatalog): ConfigLayer {
  const layer: ConfigLayer = {};
  for (const key of SETTING_KEYS) {
    const flag = SETTINGS[key].flag;
    const value = flags[flagAttribute(flag)];
    if (typeof value === 'string') parseInto(layer, key, value, flag, catalog);
  }
  return layer;
}

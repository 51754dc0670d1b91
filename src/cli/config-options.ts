// The configuration flags of the lifecycle commands, registered from the settings table, and the
// configuration they resolve to. A ConfigError becomes a usage error here, where the CLI reports it.
import type { Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import type { ConfigFlags } from '../config/flags.js';
import { loadConfig } from '../config/load.js';
import {
  CONFIG_FILE_ENV,
  CONFIG_FILE_FLAG,
  CONFIG_FILE_NAME,
  SETTINGS,
  SETTING_KEYS,
  type ComponentCatalog,
  type Setting,
  type SettingKey,
  type VeniceConfig,
} from '../config/settings.js';
import { COMPONENT_CATALOG, portsInUse } from '../supervisor/components.js';
import { CliError, ExitCode } from './output.js';

export type { ConfigFlags };

/** "data directory (default: ./.venice; env VENICE_DATA_DIR)", from the setting's row. */
export function settingHelp(setting: Setting, catalog: ComponentCatalog = COMPONENT_CATALOG): string {
  const choices = setting.choices?.(catalog);
  const details = [
    ...(choices ? [`of: ${choices.join(', ')}`] : []),
    `default: ${setting.defaultText}`,
    `env ${setting.env}`,
  ];
  return `${setting.help} (${details.join('; ')})`;
}

function addSettingOption(command: Command, key: SettingKey): void {
  const setting: Setting = SETTINGS[key];
  command.option(`${setting.flag} ${setting.flagValue}`, settingHelp(setting));
}

/** --config and --data-dir: enough for commands that only need to find the pipeline. */
export function addLocationOptions(command: Command): Command {
  command.option(
    `${CONFIG_FILE_FLAG} <file>`,
    `${CONFIG_FILE_NAME} to use (default: ./${CONFIG_FILE_NAME} if present; env ${CONFIG_FILE_ENV})`,
  );
  addSettingOption(command, 'dataDir');
  return command;
}

/** Every setting `venice up` takes; port flags only for the ports of components this Venice has. */
export function addStartOptions(command: Command): Command {
  addLocationOptions(command);
  const portKeys = new Set<SettingKey>(portsInUse().map((name) => `ports.${name}` as const));
  for (const key of SETTING_KEYS) {
    if (key === 'dataDir') continue;
    if (key.startsWith('ports.') && !portKeys.has(key)) continue;
    addSettingOption(command, key);
  }
  return command;
}

/** The configuration for a command, or a CliError (usage) naming the bad setting and the fix. */
export function configFromFlags(flags: ConfigFlags, cwd = process.cwd()): VeniceConfig {
  return reportingConfigErrors(() => loadConfig({ flags, cwd, catalog: COMPONENT_CATALOG }));
}

/** Runs `read`; a ConfigError (a bad flag, variable or venice.yaml) becomes a usage error with its fix. */
export function reportingConfigErrors<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, error.hint, ExitCode.usage);
    throw error;
  }
}

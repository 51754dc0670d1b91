// The config keys the file connectors share, as ConfigKeyDefinitions.
import type { ConfigKeyDefinition } from '../../api/plugin.js';

export function requiredKey(name: string, documentation: string): ConfigKeyDefinition {
  return {
    name,
    type: 'STRING',
    importance: 'HIGH',
    documentation,
    validate: (value) =>
      value === undefined || value.trim() === '' ? `${name} is required: ${documentation}` : null,
  };
}

export function positiveIntegerKey(
  name: string,
  defaultValue: string,
  documentation: string,
): ConfigKeyDefinition {
  return {
    name,
    type: 'INT',
    defaultValue,
    importance: 'LOW',
    documentation,
    validate: (value) =>
      value === undefined || /^[1-9]\d*$/.test(value.trim())
        ? null
        : `${name} must be a whole number of at least 1, not "${value}"`,
  };
}

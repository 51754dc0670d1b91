// PUT /connector-plugins/{plugin}/config/validate, and the check before a config is stored: the keys
// every connector has (Kafka Connect's ConnectorConfig and SinkConnectorConfig: name, connector.class,
// tasks.max, converters, topics, errors.*) plus the plugin's own keys and cross-key checks.
import type { ConverterEnvironment } from '../api/converter.js';
import { ConnectConfigError, ConnectRestError } from '../api/errors.js';
import type { ConfigInfos } from '../api/herder.js';
import type { ConfigKeyDefinition, ConnectorConfig, ConnectorPlugin } from '../api/plugin.js';
import { findConnectorPlugin } from '../plugins/index.js';
import { connectorConverter } from './connector-converters.js';

const COMMON = 'Common';
const ERRORS = 'Error Handling';

const booleanCheck = (name: string) => (value: string | undefined) =>
  value === undefined || /^(true|false)$/i.test(value.trim())
    ? null
    : `${name} must be true or false, not "${value}"`;

function converterKey(which: 'key' | 'value', environment: ConverterEnvironment): ConfigKeyDefinition {
  return {
    name: `${which}.converter`,
    type: 'CLASS',
    importance: 'LOW',
    group: COMMON,
    documentation: `The converter for record ${which}s, with its settings under "${which}.converter.". Left out: ${
      which === 'key' ? 'StringConverter' : 'JsonConverter with schemas.enable=false'
    }.`,
    validate: (_value, config) => {
      try {
        connectorConverter(config, which, environment);
        return null;
      } catch (error) {
        if (error instanceof ConnectConfigError) return error.message;
        throw error;
      }
    },
  };
}

function commonKeys(type: 'sink' | 'source', environment: ConverterEnvironment): ConfigKeyDefinition[] {
  const keys: ConfigKeyDefinition[] = [
    {
      name: 'name',
      type: 'STRING',
      importance: 'HIGH',
      group: COMMON,
      documentation: 'A unique name for the connector.',
      validate: (value) =>
        value === undefined || value.trim() === ''
          ? 'name is required: give the connector a unique name'
          : // eslint-disable-next-line no-control-regex
            /[\u0000-\u001f\u007f]/.test(value)
            ? 'name must not contain control characters'
            : null,
    },
    {
      name: 'connector.class',
      type: 'STRING',
      importance: 'HIGH',
      group: COMMON,
      documentation: 'The connector plugin: its class name or an alias.',
    },
    {
      name: 'tasks.max',
      type: 'INT',
      defaultValue: '1',
      importance: 'HIGH',
      group: COMMON,
      documentation: 'The most tasks the connector may run.',
      validate: (value) =>
        value === undefined || /^[1-9]\d*$/.test(value.trim())
          ? null
          : `tasks.max must be a whole number of at least 1, not "${value}"`,
    },
    converterKey('key', environment),
    converterKey('value', environment),
    {
      name: 'transforms',
      type: 'LIST',
      defaultValue: '',
      importance: 'LOW',
      group: COMMON,
      documentation: 'Single message transforms: not supported by Venice.',
      validate: (value) =>
        value === undefined || value.trim() === ''
          ? null
          : 'Venice does not run single message transforms: remove transforms (and its transforms.* settings)',
    },
    {
      name: 'errors.tolerance',
      type: 'STRING',
      defaultValue: 'none',
      importance: 'MEDIUM',
      group: ERRORS,
      recommendedValues: ['none', 'all'],
      documentation:
        'none: a record that fails conversion fails the task; all: it is skipped (and sent to the dead letter queue).',
      validate: (value) =>
        value === undefined || /^(none|all)$/i.test(value.trim())
          ? null
          : `errors.tolerance must be none or all, not "${value}"`,
    },
    {
      name: 'errors.log.enable',
      type: 'BOOLEAN',
      defaultValue: 'false',
      importance: 'MEDIUM',
      group: ERRORS,
      documentation: 'Log each tolerated error.',
      validate: booleanCheck('errors.log.enable'),
    },
    {
      name: 'errors.log.include.messages',
      type: 'BOOLEAN',
      defaultValue: 'false',
      importance: 'LOW',
      group: ERRORS,
      documentation: 'Log the failed record too (its key and value).',
      validate: booleanCheck('errors.log.include.messages'),
    },
  ];
  if (type === 'sink')
    keys.push(
      {
        name: 'topics',
        type: 'LIST',
        defaultValue: '',
        importance: 'HIGH',
        group: COMMON,
        documentation: 'The topics to read, comma-separated (or topics.regex).',
        validate: (value, config) => {
          const listed = value?.trim() ?? '';
          const regex = config['topics.regex']?.trim() ?? '';
          if (listed === '' && regex === '') return 'Must configure one of topics or topics.regex';
          if (listed !== '' && regex !== '')
            return 'topics and topics.regex are mutually exclusive: keep one';
          const dlq = config['errors.deadletterqueue.topic.name']?.trim();
          if (dlq && listed.split(',').some((topic) => topic.trim() === dlq))
            return `the dead letter queue topic ${dlq} must not be one of the topics the connector reads`;
          return null;
        },
      },
      {
        name: 'topics.regex',
        type: 'STRING',
        defaultValue: '',
        importance: 'HIGH',
        group: COMMON,
        documentation: 'A regular expression of the topics to read (instead of topics).',
        validate: (value) => {
          if (value === undefined || value.trim() === '') return null;
          try {
            new RegExp(value);
            return null;
          } catch (error) {
            return `topics.regex is not a valid regular expression: ${(error as Error).message}`;
          }
        },
      },
      {
        name: 'errors.deadletterqueue.topic.name',
        type: 'STRING',
        defaultValue: '',
        importance: 'MEDIUM',
        group: ERRORS,
        documentation: 'The dead letter queue: where tolerated failed records go, with their original bytes.',
      },
      {
        name: 'errors.deadletterqueue.topic.replication.factor',
        type: 'SHORT',
        defaultValue: '-1',
        importance: 'LOW',
        group: ERRORS,
        documentation:
          "The dead letter queue topic's replication factor when the worker creates it: -1 (the default) takes the broker's default.replication.factor (Kafka Connect's default is 3); a factor the cluster cannot give falls back to the broker's default, with a warning.",
        validate: (value) =>
          value === undefined || /^([1-9]\d*|-1)$/.test(value.trim())
            ? null
            : `errors.deadletterqueue.topic.replication.factor must be a whole number, not "${value}"`,
      },
      {
        name: 'errors.deadletterqueue.context.headers.enable',
        type: 'BOOLEAN',
        defaultValue: 'false',
        importance: 'MEDIUM',
        group: ERRORS,
        documentation: 'Add __connect.errors.* headers saying where the record came from and what failed.',
        validate: booleanCheck('errors.deadletterqueue.context.headers.enable'),
      },
    );
  return keys;
}

export function resolvePlugin(className: string | undefined): ConnectorPlugin {
  if (className === undefined || className.trim() === '')
    throw new ConnectRestError(
      400,
      'the connector config has no connector.class: name the connector plugin (GET /connector-plugins lists them)',
    );
  const plugin = findConnectorPlugin(className.trim());
  if (!plugin)
    throw new ConnectRestError(
      400,
      `Failed to find any class that implements Connector and which name matches ${className}; GET /connector-plugins lists the ones Venice has`,
    );
  return plugin;
}

export async function validateConnectorConfig(
  plugin: ConnectorPlugin,
  config: ConnectorConfig,
  environment: ConverterEnvironment,
): Promise<ConfigInfos> {
  const definitions = [
    ...commonKeys(plugin.type, environment),
    ...plugin.configKeys.map((key) => ({
      ...key,
      group: key.group ?? plugin.className.split('.').pop() ?? 'Connector',
    })),
  ];
  const crossKey = (await plugin.validate?.(config)) ?? {};
  const groups = [...new Set(definitions.map((definition) => definition.group ?? COMMON))];
  let errorCount = 0;
  const configs = definitions.map((definition, order) => {
    const value = config[definition.name];
    const errors: string[] = [];
    if (
      value === undefined &&
      definition.defaultValue === undefined &&
      definition.name !== 'name' &&
      !definition.validate
    )
      errors.push(`Missing required configuration "${definition.name}" which has no default value.`);
    const own = definition.validate?.(value ?? definition.defaultValue, config);
    if (own) errors.push(own);
    errors.push(...(crossKey[definition.name] ?? []));
    errorCount += errors.length;
    return {
      definition: {
        name: definition.name,
        type: definition.type,
        required: definition.defaultValue === undefined,
        default_value: definition.defaultValue ?? null,
        importance: definition.importance,
        documentation: definition.documentation,
        group: definition.group ?? null,
        order: order + 1,
        width: 'NONE' as const,
        display_name: definition.displayName ?? definition.name,
        dependents: [],
      },
      value: {
        name: definition.name,
        value: value ?? definition.defaultValue ?? null,
        recommended_values: [...(definition.recommendedValues ?? [])],
        errors,
        visible: true,
      },
    };
  });
  // Cross-key issues about keys that have no definition still count.
  const known = new Set(definitions.map((definition) => definition.name));
  for (const [key, messages] of Object.entries(crossKey))
    if (!known.has(key) && messages.length > 0) {
      errorCount += messages.length;
      configs.push({
        definition: {
          name: key,
          type: 'STRING',
          required: false,
          default_value: null,
          importance: 'LOW',
          documentation: '',
          group: null,
          order: configs.length + 1,
          width: 'NONE',
          display_name: key,
          dependents: [],
        },
        value: {
          name: key,
          value: config[key] ?? null,
          recommended_values: [],
          errors: [...messages],
          visible: true,
        },
      });
    }
  return { name: plugin.className, error_count: errorCount, groups, configs };
}

/** The 400 for an invalid config, worded as Kafka Connect words it. */
export function invalidConfigError(infos: ConfigInfos): ConnectRestError {
  const messages = infos.configs.flatMap((entry) =>
    entry.value.errors.map((error) =>
      error.includes(entry.value.name) ? error : `${entry.value.name}: ${error}`,
    ),
  );
  return new ConnectRestError(
    400,
    `Connector configuration is invalid and contains the following ${messages.length} error(s):\n${messages.join('\n')}\n` +
      'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
  );
}

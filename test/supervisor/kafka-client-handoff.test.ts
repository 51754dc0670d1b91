// `venice up` hands the Kafka client settings to every component that talks to Kafka in its
// environment, and never on its command line (which `ps` shows).
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { COMPONENTS, COMPONENT_CATALOG } from '../../src/supervisor/components.js';

describe('Kafka client settings of the components', () => {
  it('reach every Kafka client component in its environment, the password never in its arguments', () => {
    const config = loadConfig({
      cwd: '/tmp',
      env: {
        VENICE_KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
        VENICE_KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
        VENICE_KAFKA_SASL_USERNAME: 'venice',
        VENICE_KAFKA_SASL_PASSWORD: 'hunter2',
        VENICE_KAFKA_REPLICATION_FACTOR: '3',
      },
      catalog: COMPONENT_CATALOG,
    });
    const kafkaClients = ['registry', 'sql', 'connect', 'console'];
    for (const component of COMPONENTS) {
      const command = component.command({ config, dataDir: '/tmp/x', logLevel: 'info' });
      expect(command.args.join(' '), component.name).not.toContain('hunter2');
      if (!kafkaClients.includes(component.name)) continue;
      expect(command.env, component.name).toMatchObject({
        VENICE_KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
        VENICE_KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
        VENICE_KAFKA_SASL_USERNAME: 'venice',
        VENICE_KAFKA_SASL_PASSWORD: 'hunter2',
        VENICE_KAFKA_REPLICATION_FACTOR: '3',
      });
    }
  });
});

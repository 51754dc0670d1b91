// The passwords of the resolved configuration travel from `venice up` to the background supervisor in
// its environment, not in the launch file: the file stays on disk in the data dir for the run, the
// environment of a process is readable by its owner only and goes with it.
import { SETTINGS, type VeniceConfig } from '../config/settings.js';

/** Named as the settings' own variables, so a reader of the daemon's environment knows them. */
const HTTP_PASSWORD = SETTINGS['http.password'].env;
const KAFKA_PASSWORD = SETTINGS.kafkaSaslPassword.env;

/** The configuration without its passwords, and the variables that carry them. */
export function separateSecrets(config: VeniceConfig): { config: VeniceConfig; env: Record<string, string> } {
  const env: Record<string, string> = {};
  const httpPassword = config.http.client.password;
  if (httpPassword !== null) env[HTTP_PASSWORD] = httpPassword;
  const sasl = config.kafkaClient.security?.sasl;
  if (sasl !== undefined) env[KAFKA_PASSWORD] = sasl.password;
  const security = config.kafkaClient.security;
  return {
    config: {
      ...config,
      http: { ...config.http, client: { ...config.http.client, password: null } },
      kafkaClient:
        security?.sasl === undefined
          ? config.kafkaClient
          : { ...config.kafkaClient, security: { ...security, sasl: { ...security.sasl, password: '' } } },
    },
    env,
  };
}

/** Puts the passwords back, in the background supervisor. */
export function restoreSecrets(config: VeniceConfig, env: NodeJS.ProcessEnv): VeniceConfig {
  const sasl = config.kafkaClient.security?.sasl;
  if (sasl !== undefined && env[KAFKA_PASSWORD]) sasl.password = env[KAFKA_PASSWORD];
  config.http.client.password = env[HTTP_PASSWORD] || config.http.client.password;
  return config;
}

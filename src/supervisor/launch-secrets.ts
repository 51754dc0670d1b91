// The passwords of the resolved configuration travel to the background supervisor in its environment,
// never in the launch file on disk (launch.ts writes it, daemon.ts reads it back).
import { HTTP_SETTINGS } from '../config/http-settings.js';
import { SETTINGS, type VeniceConfig } from '../config/settings.js';

/** The variables the passwords travel in: the ones a user sets them with. */
const HTTP_PASSWORD_ENV = HTTP_SETTINGS['http.password'].env;
const KAFKA_SASL_PASSWORD_ENV = SETTINGS.kafkaSaslPassword.env;

/** `config` without its passwords, and the environment variables that carry them. */
export function separateSecrets(config: VeniceConfig): { config: VeniceConfig; env: Record<string, string> } {
  const env: Record<string, string> = {};
  const httpPassword = config.http.client.password;
  if (httpPassword !== null) env[HTTP_PASSWORD_ENV] = httpPassword;
  const security = config.kafkaClient.security;
  const sasl = security?.sasl;
  if (sasl) env[KAFKA_SASL_PASSWORD_ENV] = sasl.password;
  return {
    config: {
      ...config,
      http: { ...config.http, client: { ...config.http.client, password: null } },
      kafkaClient: sasl
        ? { ...config.kafkaClient, security: { ...security, sasl: { ...sasl, password: '' } } }
        : config.kafkaClient,
    },
    env,
  };
}

/** Puts back into `config` (read from the launch file) the passwords `separateSecrets` took out. */
export function restoreSecrets(config: VeniceConfig, env: NodeJS.ProcessEnv): void {
  config.http.client.password = env[HTTP_PASSWORD_ENV] || config.http.client.password;
  const sasl = config.kafkaClient.security?.sasl;
  if (sasl) sasl.password = env[KAFKA_SASL_PASSWORD_ENV] || sasl.password;
}

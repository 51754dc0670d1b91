// The SASL mechanisms a SASL listener offers, built from the broker's settings: PLAIN (static users, or
// a SCRAM user's password) and the two SCRAM mechanisms (stored credentials).
import { PLAIN, plainServer } from './plain-server.js';
import { loadPlainUsers } from './plain-users-file.js';
import { SCRAM_MECHANISMS } from './scram.js';
import { scramServer, type ScramCredentialLookup } from './scram-server.js';
import type { SaslMechanismServer } from './sasl-mechanism.js';

export const SUPPORTED_SASL_MECHANISMS: readonly string[] = [PLAIN, ...SCRAM_MECHANISMS.map((m) => m.name)];
export const DEFAULT_SASL_MECHANISMS: readonly string[] = SUPPORTED_SASL_MECHANISMS;

export interface SaslMechanismSettings {
  saslEnabledMechanisms: readonly string[];
  saslPlainUsersFile: string | null;
}

export function buildSaslMechanisms(
  settings: SaslMechanismSettings,
  scram: ScramCredentialLookup,
): Map<string, SaslMechanismServer> {
  const mechanisms = new Map<string, SaslMechanismServer>();
  for (const name of settings.saslEnabledMechanisms) {
    const upper = name.trim().toUpperCase();
    if (upper === PLAIN) {
      const users =
        settings.saslPlainUsersFile === null
          ? new Map<string, string>()
          : loadPlainUsers(settings.saslPlainUsersFile);
      mechanisms.set(PLAIN, plainServer(users, scram));
      continue;
    }
    const mechanism = SCRAM_MECHANISMS.find((candidate) => candidate.name === upper);
    if (!mechanism) {
      throw new Error(
        `SASL mechanism ${name} is not supported: choose among ${SUPPORTED_SASL_MECHANISMS.join(', ')} ` +
          '(--sasl-enabled-mechanisms)',
      );
    }
    mechanisms.set(mechanism.name, scramServer(mechanism, scram));
  }
  if (mechanisms.size === 0)
    throw new Error('a SASL listener needs at least one mechanism (--sasl-enabled-mechanisms)');
  return mechanisms;
}

// The SCRAM credentials the broker knows, by user and mechanism. Kept in memory for authentication and
// written through a record store (one record per user and mechanism, a null value deletes), which the
// broker maps onto a compacted topic (scram-credentials-topic.ts) and tests onto an array.
import {
  scramMechanismByName,
  type ScramCredential,
  type ScramMechanism,
  type ScramMechanismName,
} from './scram.js';
import type { ScramCredentialLookup } from './scram-server.js';

export interface ScramRecord {
  key: Buffer;
  value: Buffer | null;
}

export interface ScramRecordStore {
  /** Resolves once the records would survive a crash. */
  append(records: ScramRecord[]): Promise<void>;
}

export interface ScramCredentialChange {
  user: string;
  mechanism: ScramMechanism;
  /** Null deletes the user's credential for this mechanism. */
  credential: ScramCredential | null;
}

export interface DescribedScramUser {
  user: string;
  credentials: { mechanism: ScramMechanism; iterations: number }[];
}

interface StoredKey {
  user: string;
  mechanism: ScramMechanismName;
}

interface StoredValue {
  salt: string;
  iterations: number;
  storedKey: string;
  serverKey: string;
}

export class ScramCredentialStore implements ScramCredentialLookup {
  private readonly byUser = new Map<string, Map<ScramMechanismName, ScramCredential>>();

  constructor(private readonly store: ScramRecordStore) {}

  /** Replays stored records, oldest first; `warn` hears of records it cannot read. */
  load(records: Iterable<ScramRecord>, warn: (message: string) => void): void {
    for (const record of records) {
      try {
        const key = JSON.parse(record.key.toString('utf8')) as StoredKey;
        const mechanism = scramMechanismByName(key.mechanism);
        if (typeof key.user !== 'string' || !mechanism) throw new Error('unknown user or mechanism');
        this.set(key.user, mechanism, record.value === null ? null : decodeCredential(record.value));
      } catch (error) {
        warn(`skipped an unreadable SCRAM credential record: ${(error as Error).message}`);
      }
    }
  }

  credential(user: string, mechanism: ScramMechanism): ScramCredential | undefined {
    return this.byUser.get(user)?.get(mechanism.name);
  }

  has(user: string, mechanism: ScramMechanism): boolean {
    return this.credential(user, mechanism) !== undefined;
  }

  /** Every user with at least one credential, sorted by name. */
  describe(): DescribedScramUser[] {
    return [...this.byUser.keys()].sort().map((user) => this.describeUser(user)!);
  }

  describeUser(user: string): DescribedScramUser | undefined {
    const credentials = this.byUser.get(user);
    if (!credentials) return undefined;
    return {
      user,
      credentials: [...credentials].map(([name, credential]) => ({
        mechanism: scramMechanismByName(name)!,
        iterations: credential.iterations,
      })),
    };
  }

  /** Writes the changes, then applies them: a change the log refused is not applied. */
  async apply(changes: readonly ScramCredentialChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.store.append(
      changes.map((change) => ({
        key: Buffer.from(
          JSON.stringify({ user: change.user, mechanism: change.mechanism.name } satisfies StoredKey),
        ),
        value: change.credential === null ? null : encodeCredential(change.credential),
      })),
    );
    for (const change of changes) this.set(change.user, change.mechanism, change.credential);
  }

  private set(user: string, mechanism: ScramMechanism, credential: ScramCredential | null): void {
    let credentials = this.byUser.get(user);
    if (credential === null) {
      credentials?.delete(mechanism.name);
      if (credentials?.size === 0) this.byUser.delete(user);
      return;
    }
    if (!credentials) this.byUser.set(user, (credentials = new Map()));
    credentials.set(mechanism.name, credential);
  }
}

function encodeCredential(credential: ScramCredential): Buffer {
  const value: StoredValue = {
    salt: credential.salt.toString('base64'),
    iterations: credential.iterations,
    storedKey: credential.storedKey.toString('base64'),
    serverKey: credential.serverKey.toString('base64'),
  };
  return Buffer.from(JSON.stringify(value));
}

function decodeCredential(bytes: Buffer): ScramCredential {
  const value = JSON.parse(bytes.toString('utf8')) as StoredValue;
  if (typeof value.iterations !== 'number' || typeof value.salt !== 'string')
    throw new Error('bad credential');
  return {
    salt: Buffer.from(value.salt, 'base64'),
    iterations: value.iterations,
    storedKey: Buffer.from(value.storedKey, 'base64'),
    serverKey: Buffer.from(value.serverKey, 'base64'),
  };
}

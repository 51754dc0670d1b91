// Topics only super users may write (or delete, or alter), whatever ACLs say: the broker's and Venice's
// own state. Venice's services act as a super user; everyone else reaches these topics through the
// APIs that own them (OffsetCommit, the schema registry's REST API, CreateAcls...).
import { OFFSETS_TOPIC } from '../offsets-topic.js';
import { TRANSACTION_STATE_TOPIC } from '../transactions/state-topic.js';
import { ACL_TOPIC } from './acl-topic.js';
import { SCRAM_CREDENTIALS_TOPIC } from './scram-credentials-topic.js';

/** The schema registry's topic (its default name, which Venice's registry keeps). */
export const SCHEMAS_TOPIC = '_schemas';

const PROTECTED_TOPICS: ReadonlySet<string> = new Set([
  OFFSETS_TOPIC,
  TRANSACTION_STATE_TOPIC,
  ACL_TOPIC,
  SCHEMAS_TOPIC,
  SCRAM_CREDENTIALS_TOPIC,
]);

/** Topics whose records are secrets (salted SCRAM keys): only super users may even read them. */
const SECRET_TOPICS: ReadonlySet<string> = new Set([SCRAM_CREDENTIALS_TOPIC]);

export function isProtectedTopic(name: string): boolean {
  return PROTECTED_TOPICS.has(name);
}

export function isSecretTopic(name: string): boolean {
  return SECRET_TOPICS.has(name);
}

// Topics only super users may write (or delete, or alter), whatever ACLs say: the broker's and Venice's
// own state. Venice's services act as a super user; everyone else reaches these topics through the
// APIs that own them (OffsetCommit, the schema registry's REST API, CreateAcls...).
import { OFFSETS_TOPIC } from '../offsets-topic.js';
import { TRANSACTION_STATE_TOPIC } from '../transactions/state-topic.js';
import { ACL_TOPIC } from './acl-topic.js';

/** The schema registry's topic (its default name, which Venice's registry keeps). */
export const SCHEMAS_TOPIC = '_schemas';

// Authentication's credentials topic joins this list when it lands.
const PROTECTED_TOPICS: ReadonlySet<string> = new Set([
  OFFSETS_TOPIC,
  TRANSACTION_STATE_TOPIC,
  ACL_TOPIC,
  SCHEMAS_TOPIC,
]);

export function isProtectedTopic(name: string): boolean {
  return PROTECTED_TOPICS.has(name);
}

// Reads the topics out of a consumer's subscription (ConsumerProtocolSubscription, protocol type "consumer").
// The coordinator needs them only to refuse deleting offsets of topics a live group consumes.
import { Reader } from '../../protocol/primitives.js';

export const CONSUMER_PROTOCOL_TYPE = 'consumer';

/** The subscribed topics, or null when the metadata cannot be parsed (then callers assume "subscribed"). */
export function subscribedTopics(metadata: Buffer): string[] | null {
  try {
    const reader = new Reader(metadata);
    reader.int16(); // version: every version starts with the topic list
    const count = reader.arrayLength(false);
    const topics: string[] = [];
    for (let i = 0; i < count; i++) topics.push(reader.string());
    return topics;
  } catch {
    return null;
  }
}

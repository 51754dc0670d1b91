// Responses list partitions under their topic; this groups flat results, keeping first-seen order.

export function groupByTopic<T extends { topic: string }>(entries: readonly T[]): [string, T[]][] {
  const byTopic = new Map<string, T[]>();
  for (const entry of entries) {
    let list = byTopic.get(entry.topic);
    if (!list) byTopic.set(entry.topic, (list = []));
    list.push(entry);
  }
  return [...byTopic];
}

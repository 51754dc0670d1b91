// This engine's process id, as Kafka Streams keeps one per instance: a UUID made once and kept in the
// state directory, so the same server keeps it across restarts while two servers of one service id
// differ. Exactly once names each query's transactional producer with it: a restarted server fences
// its own previous producer (and aborts the transaction that one left open), and two servers running
// one query's partitions side by side (scale-out) do not fence each other.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const FILE_NAME = 'process-id';
const UUID_PATTERN = /^[0-9a-f-]{36}$/;

/** Without a state directory (tests, an engine in memory) every engine is the same single instance. */
export const SINGLE_INSTANCE_PROCESS_ID = 'single';

export function engineProcessId(stateDir: string | undefined): string {
  if (stateDir === undefined) return SINGLE_INSTANCE_PROCESS_ID;
  const file = path.join(stateDir, FILE_NAME);
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (UUID_PATTERN.test(kept)) return kept;
  } catch {
    // Not made yet: the first start on this state directory.
  }
  const made = randomUUID();
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(file, `${made}\n`);
  return made;
}

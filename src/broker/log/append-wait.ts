// Long-poll support: a fetch with nothing to return parks here until one of the partitions it reads gets an
// append, from any writer (a producer, or an in-process one such as the group coordinator), or until its
// timeout. The logs raise the signal themselves, so no writer can forget to.
import type { AppendWake, PartitionLog } from './partition-log.js';

export type WaitOutcome = AppendWake | 'timeout';

/**
 * Resolves at the first append to any of `logs` ('appended'), when one of them closes ('closed': the broker
 * stops or the topic is deleted, so reading again would be pointless), or after `timeoutMs` ('timeout').
 */
export function waitForAppend(logs: readonly PartitionLog[], timeoutMs: number): Promise<WaitOutcome> {
  return new Promise((resolve) => {
    const cancels: (() => void)[] = [];
    let settled = false;
    const settle = (outcome: WaitOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const cancel of cancels) cancel();
      resolve(outcome);
    };
    const timer = setTimeout(() => settle('timeout'), timeoutMs);
    for (const log of logs) {
      if (settled) break;
      cancels.push(log.onNextAppend(settle));
    }
  });
}

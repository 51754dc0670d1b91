// Waiting for a state instead of sleeping and hoping: tests poll a real signal and fail with a message
// that says what never happened.

export interface WaitOptions {
  /** Says what was awaited, for the failure message ("the consumer to join the group"). */
  what: string;
  /** Generous by default: a slow shared machine must not fail a correct test. */
  timeoutMs?: number;
  intervalMs?: number;
}

/** What a passing condition returns: its value without the falsy members of its type. */
export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/**
 * Polls `condition` until it returns a truthy value, and returns that value. A condition that throws
 * counts as "not yet" (a broker still starting refuses connections); its last error is reported on timeout.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { what, timeoutMs = 30_000, intervalMs = 50 }: WaitOptions,
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as Truthy<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError === undefined ? '' : ` (last error: ${describe(lastError)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Lets every pending promise chain run to completion (microtasks drain before the next macrotask). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

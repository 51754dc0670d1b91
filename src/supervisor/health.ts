// Readiness and health probes: GET a component's health URL; ready means 200.
import http from 'node:http';

export interface HealthResult {
  ok: boolean;
  /** HTTP status, or null when nothing answered. */
  status: number | null;
  body: Record<string, unknown> | null;
  error: string | null;
}

export function probeHealth(url: string, timeoutMs = 1000): Promise<HealthResult> {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: timeoutMs, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        let body: Record<string, unknown> | null;
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          body = null;
        }
        resolve({ ok: response.statusCode === 200, status: response.statusCode ?? null, body, error: null });
      });
      response.on('error', (error) => resolve({ ok: false, status: null, body: null, error: error.message }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ ok: false, status: null, body: null, error: error.code ?? error.message }),
    );
  });
}

export interface WaitReadyOptions {
  timeoutMs: number;
  /** Poll interval; the probe itself is cheap (loopback HTTP). */
  intervalMs?: number;
  /** Stop waiting when this says the process is gone (it exited while starting). */
  abandoned?: () => boolean;
}

export type ReadyOutcome = 'ready' | 'timeout' | 'abandoned';

/** Polls the health URL until it answers 200, the timeout passes, or the caller abandons the wait. */
export async function waitUntilReady(url: string, options: WaitReadyOptions): Promise<ReadyOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 50;
  for (;;) {
    if (options.abandoned?.()) return 'abandoned';
    const result = await probeHealth(url, Math.min(1000, Math.max(100, deadline - Date.now())));
    if (result.ok) return 'ready';
    if (options.abandoned?.()) return 'abandoned';
    if (Date.now() >= deadline) return 'timeout';
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

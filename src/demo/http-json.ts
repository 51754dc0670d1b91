// JSON over HTTP to the sql and connect components, retried while they are not answering yet (a
// component the supervisor is restarting, or connect answering 503 while it reads its topics).

export class DemoHttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'DemoHttpError';
  }
}

export interface RetryOptions {
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The fetch to send with: Venice's client fetch carries the configured HTTP user (http.user). */
  fetch?: typeof fetch;
}

const RETRY_PAUSE_MS = 500;

/** Sends `body` as JSON and returns the parsed answer; 4xx is thrown at once, no answer and 5xx are retried. */
export async function requestJson(
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  body: unknown,
  options: RetryOptions = {},
): Promise<unknown> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    let failure: string;
    try {
      const response = await (options.fetch ?? fetch)(url, {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: options.signal,
      });
      const text = await response.text();
      if (response.ok) return text === '' ? null : (JSON.parse(text) as unknown);
      if (response.status < 500)
        throw new DemoHttpError(`${method} ${url}: ${response.status} ${text}`, response.status);
      failure = `${response.status} ${text}`;
    } catch (error) {
      if (error instanceof DemoHttpError || options.signal?.aborted) throw error;
      failure = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) throw new DemoHttpError(`${method} ${url} did not succeed: ${failure}`, 0);
    await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
  }
}

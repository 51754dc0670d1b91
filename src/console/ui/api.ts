// The UI's one way to the console's JSON API (documented in src/console/README.md).
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiFailure(
      0,
      `the console does not answer: ${(error as Error).message}`,
      'is `venice up` still running?',
    );
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    parsed = text;
  }
  if (!response.ok) {
    const detail = (parsed ?? {}) as { error?: string; message?: string; hint?: string };
    throw new ApiFailure(
      response.status,
      detail.error ??
        detail.message ??
        (typeof parsed === 'string' && parsed ? parsed : `HTTP ${response.status}`),
      detail.hint,
    );
  }
  return parsed as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const enc = encodeURIComponent;

// Small HTTP helpers for the REST API tests: HTTP/1.1 through fetch, HTTP/2 through node:http2.
import http2 from 'node:http2';

export interface Answer {
  status: number;
  contentType: string | null;
  text: string;
}

export async function post(baseUrl: string, path: string, body: unknown, accept?: string): Promise<Answer> {
  const response = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.ksql.v1+json', ...(accept ? { accept } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: await response.text(),
  };
}

export async function get(baseUrl: string, path: string): Promise<Answer & { json: unknown }> {
  const response = await fetch(baseUrl + path);
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text,
    json: JSON.parse(text),
  };
}

/** One HTTP/2 (prior knowledge, cleartext) POST; resolves with the whole answer. */
export function postHttp2(baseUrl: string, path: string, body: string, accept: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(baseUrl);
    session.on('error', reject);
    const request = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/json',
      accept,
    });
    let status = 0;
    let contentType: string | null = null;
    let text = '';
    request.setEncoding('utf8');
    request.on('response', (headers) => {
      status = Number(headers[':status']);
      contentType = (headers['content-type'] as string | undefined) ?? null;
    });
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      session.close();
      resolve({ status, contentType, text });
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** Reads a streaming response line by line until `until` says stop; returns the lines and cancels. */
export async function readLinesUntil(
  baseUrl: string,
  path: string,
  body: unknown,
  accept: string,
  until: (lines: string[]) => boolean,
): Promise<string[]> {
  const controller = new AbortController();
  const response = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify(body),
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const lines = () => text.split('\n').filter((line) => line.trim() !== '');
  while (!until(lines())) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  controller.abort();
  return lines();
}

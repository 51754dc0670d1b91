// Splits a request body into lines as it arrives, for /inserts-stream. The last line may lack its
// newline (clients that send one row often do).
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

export async function* readLines(body: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of body) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      yield pending.slice(0, newline).replace(/\r$/, '');
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
  }
  pending += decoder.end();
  if (pending.trim() !== '') yield pending;
}

// PRINT topic: a topic's records as lines of text, read without a group (so printing leaves no trace),
// each shown through the formats that fit (format-guesser.ts). The lines follow ksqlDB's:
//   Key format: KAFKA_STRING
//   Value format: JSON or KAFKA_STRING
//   rowtime: 2026/12/06 09:15:02.120 Z, key: o-1, value: {"qty":2}, partition: 0
// A "Key format"/"Value format" line comes first and again whenever what fits changes. While the topic
// is quiet an empty line goes out now and then, so a client that left is noticed.
import type { Kafka } from '../../client/index.js';
import type { Serdes } from '../../serdes/index.js';
import { FormatGuesser } from './format-guesser.js';

export interface PrintRequest {
  readonly topic: string;
  readonly fromBeginning: boolean;
  /** Show every n-th record (INTERVAL/SAMPLE); 1 shows all. */
  readonly interval: number;
  /** Stop after this many records are shown. */
  readonly limit?: number;
}

/** A line of output: the formats that fit, a record, or an empty line that keeps a quiet stream open. */
export interface PrintLine {
  readonly kind: 'formats' | 'record' | 'keep-alive';
  /** Without a line end. */
  readonly text: string;
}

export interface TopicPrint {
  /** The output; ends at the limit or on close(). */
  lines(): AsyncIterable<PrintLine>;
  close(): void;
}

/** How long a quiet topic goes without a line before an empty one is sent. */
const KEEP_ALIVE_MS = 10_000;

function rowtime(timestamp: bigint): string {
  if (timestamp < 0n) return 'N/A';
  const iso = new Date(Number(timestamp)).toISOString(); // 2026-12-06T09:15:02.120Z
  return `${iso.slice(0, 10).replaceAll('-', '/')} ${iso.slice(11, 23)} Z`;
}

export function printTopic(
  kafka: Kafka,
  serdes: () => Promise<Serdes | null>,
  request: PrintRequest,
): TopicPrint {
  const abort = new AbortController();
  async function* lines(): AsyncGenerator<PrintLine> {
    const keys = new FormatGuesser(serdes);
    const values = new FormatGuesser(serdes);
    let shownFormats = '';
    let polled = 0;
    let written = 0;
    const records = kafka.consume({
      topic: request.topic,
      from: { kind: request.fromBeginning ? 'beginning' : 'end' },
      signal: abort.signal,
    });
    let next = records.next();
    try {
      while (!abort.signal.aborted && (request.limit === undefined || written < request.limit)) {
        let timer: NodeJS.Timeout | undefined;
        const quiet = new Promise<'quiet'>((resolve) => {
          timer = setTimeout(() => resolve('quiet'), KEEP_ALIVE_MS);
        });
        const result = await Promise.race([next, quiet]);
        clearTimeout(timer);
        if (result === 'quiet') {
          yield { kind: 'keep-alive', text: '' };
          continue;
        }
        if (result.done === true) return;
        next = records.next();
        const record = result.value;
        if (polled++ % request.interval !== 0) continue;
        written++;
        const line =
          `rowtime: ${rowtime(record.timestamp)}, key: ${await keys.format(record.key)}, ` +
          `value: ${await values.format(record.value)}, partition: ${record.partition}`;
        const formats = `Key format: ${keys.possibleFormats}\nValue format: ${values.possibleFormats}`;
        if (formats !== shownFormats) {
          shownFormats = formats;
          for (const text of formats.split('\n')) yield { kind: 'formats', text };
        }
        yield { kind: 'record', text: line };
      }
    } finally {
      abort.abort();
      // Ends the reader (its pending fetch returns once aborted).
      await records.return(undefined).catch(() => {});
    }
  }
  return { lines, close: () => abort.abort() };
}

// org.apache.kafka.connect.file.FileStreamSourceConnector: each new line of a file becomes a record
// (string value, no key) on `topic`. Its offset is the byte position after the last line sent, stored
// under the source partition {filename}, so a restarted task goes on where the last one stopped.
import fs from 'node:fs/promises';
import type {
  ConfigIssues,
  ConnectorConfig,
  SourceConnectorPlugin,
  SourceTask,
  SourceTaskContext,
} from '../../api/plugin.js';
import type { ConnectSchema, SourceRecord } from '../../api/data.js';
import { positiveIntegerKey, requiredKey } from './keys.js';

const STRING_SCHEMA: ConnectSchema = { type: 'string', optional: false };
const NEWLINE = 0x0a;
/** How long poll() waits for the file to grow before returning nothing. */
const IDLE_WAIT_MS = 250;

class FileStreamSourceTask implements SourceTask {
  #file = '';
  #topic = '';
  #batchSize = 2000;
  #position = 0;
  #partition: { filename: string } = { filename: '' };

  async start(config: ConnectorConfig, context: SourceTaskContext): Promise<void> {
    this.#file = config.file;
    this.#topic = config.topic;
    this.#batchSize = Number(config['batch.size'] ?? '2000');
    this.#partition = { filename: this.#file };
    const stored = await context.offset(this.#partition);
    const position = stored?.position;
    this.#position = typeof position === 'number' && position >= 0 ? position : 0;
  }

  async poll(signal: AbortSignal): Promise<readonly SourceRecord[]> {
    const records = await this.#readLines();
    if (records.length > 0 || signal.aborted) return records;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, IDLE_WAIT_MS);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
    return [];
  }

  async #readLines(): Promise<SourceRecord[]> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.#file, 'r');
    } catch (error) {
      // Kafka's task waits for a file that does not exist yet; so does this one.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    try {
      const { size } = await handle.stat();
      // A file shorter than the stored position was truncated or replaced: read it from the start.
      if (size < this.#position) this.#position = 0;
      if (size === this.#position) return [];
      const chunk = Buffer.alloc(Math.min(size - this.#position, 4 * 1024 * 1024));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, this.#position);
      const records: SourceRecord[] = [];
      let lineStart = 0;
      for (let index = 0; index < bytesRead && records.length < this.#batchSize; index++) {
        if (chunk[index] !== NEWLINE) continue;
        let lineEnd = index;
        if (lineEnd > lineStart && chunk[lineEnd - 1] === 0x0d) lineEnd--;
        const line = chunk.toString('utf8', lineStart, lineEnd);
        lineStart = index + 1;
        records.push({
          sourcePartition: this.#partition,
          sourceOffset: { position: this.#position + lineStart },
          topic: this.#topic,
          keySchema: null,
          key: null,
          valueSchema: STRING_SCHEMA,
          value: line,
        });
      }
      this.#position += lineStart;
      return records;
    } finally {
      await handle.close();
    }
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}

export const fileStreamSourcePlugin: SourceConnectorPlugin = {
  type: 'source',
  className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
  aliases: ['FileStreamSourceConnector', 'FileStreamSource'],
  version: '1.0.0',
  configKeys: [
    requiredKey('file', 'The file to read, line by line (Venice does not read standard input).'),
    requiredKey('topic', 'The topic to write each line to.'),
    positiveIntegerKey('batch.size', '2000', 'The most lines one poll returns.'),
  ],
  validate(config): ConfigIssues {
    const topic = config.topic ?? '';
    return topic.includes(',') ? { topic: ['topic takes one topic name, not a list'] } : {};
  },
  // One file is one stream of positions: a single task reads it, whatever tasks.max says.
  taskConfigs: (config) => [{ ...config }],
  createTask: () => new FileStreamSourceTask(),
};

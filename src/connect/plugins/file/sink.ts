// org.apache.kafka.connect.file.FileStreamSinkConnector: appends each record's value as one line to
// `file`. put() resolves only once the lines are synced to disk, so the offsets the worker then commits
// never run ahead of the file.
import fs from 'node:fs/promises';
import type { ConnectorConfig, SinkConnectorPlugin, SinkTask } from '../../api/plugin.js';
import type { SinkRecord } from '../../api/data.js';
import { valueText } from '../../converters/string.js';
import { requiredKey } from './keys.js';

class FileStreamSinkTask implements SinkTask {
  #handle: fs.FileHandle | undefined;

  async start(config: ConnectorConfig): Promise<void> {
    this.#handle = await fs.open(config.file, 'a');
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0 || !this.#handle) return;
    const text = records
      .map((record) => `${record.value === null ? 'null' : valueText(record.value)}\n`)
      .join('');
    await this.#handle.appendFile(text);
    await this.#handle.sync();
  }

  async stop(): Promise<void> {
    await this.#handle?.close();
    this.#handle = undefined;
  }
}

export const fileStreamSinkPlugin: SinkConnectorPlugin = {
  type: 'sink',
  className: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
  aliases: ['FileStreamSinkConnector', 'FileStreamSink'],
  version: '1.0.0',
  configKeys: [requiredKey('file', 'The file each record value is appended to, one line each.')],
  // Every task appends to the same file, as Kafka's does.
  taskConfigs: (config, maxTasks) => Array.from({ length: maxTasks }, () => ({ ...config })),
  createTask: () => new FileStreamSinkTask(),
};

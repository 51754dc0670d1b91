// Creates or updates connectors from their JSON files through Kafka Connect's REST API. PUT
// /connectors/<name>/config is create-or-update, so every start of the demo applies them again safely.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../service/index.js';
import { DemoHttpError, requestJson, type RetryOptions } from './http-json.js';

interface ConnectorFile {
  name: string;
  config: Record<string, string>;
}

export async function applyConnectorFiles(
  connectUrl: string,
  files: readonly string[],
  logger: Logger,
  options: RetryOptions = {},
): Promise<void> {
  for (const file of files) {
    const { name, config } = readConnectorFile(file);
    try {
      await requestJson(
        'PUT',
        `${connectUrl.replace(/\/+$/, '')}/connectors/${encodeURIComponent(name)}/config`,
        { ...config, name },
        options,
      );
    } catch (error) {
      if (error instanceof DemoHttpError && error.status === 400)
        throw new Error(`${path.basename(file)} was refused by Kafka Connect: ${error.message}`, {
          cause: error,
        });
      throw error;
    }
    logger.info(
      { file, connector: name },
      `connector ${name} created or updated from ${path.basename(file)}`,
    );
  }
}

function readConnectorFile(file: string): ConnectorFile {
  const where = path.basename(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${where} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const { name, config } = (parsed ?? {}) as Partial<ConnectorFile>;
  if (typeof name !== 'string' || typeof config !== 'object' || config === null)
    throw new Error(`${where}: expected {"name": "...", "config": {...}}, as POST /connectors takes`);
  return { name, config };
}

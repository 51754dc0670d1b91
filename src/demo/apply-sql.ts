// Applies SQL files to the SQL engine through ksqlDB's REST API. The files are written to be run again
// (CREATE ... IF NOT EXISTS), so every start of the demo applies them and nothing is created twice.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../service/index.js';
import { DemoHttpError, requestJson, type RetryOptions } from './http-json.js';

/**
 * Queries created here read their input from the beginning, as `SET 'auto.offset.reset'='earliest'`
 * would: orders produced before a query existed still count.
 */
const STREAMS_PROPERTIES = { 'auto.offset.reset': 'earliest' };

interface KsqlEntity {
  '@type'?: string;
  statementText?: string;
  commandStatus?: { message?: string };
}

export async function applySqlFiles(
  sqlUrl: string,
  files: readonly string[],
  logger: Logger,
  options: RetryOptions = {},
): Promise<void> {
  for (const file of files) {
    const ksql = fs.readFileSync(file, 'utf8');
    let entities: unknown;
    try {
      entities = await requestJson(
        'POST',
        `${sqlUrl.replace(/\/+$/, '')}/ksql`,
        { ksql, streamsProperties: STREAMS_PROPERTIES },
        options,
      );
    } catch (error) {
      if (error instanceof DemoHttpError && error.status === 400)
        throw new Error(
          `${path.basename(file)} was refused by the SQL engine: ${ksqlMessage(error.message)}`,
          { cause: error },
        );
      throw error;
    }
    const messages = (Array.isArray(entities) ? (entities as KsqlEntity[]) : [])
      .map((entity) => entity.commandStatus?.message)
      .filter((message): message is string => typeof message === 'string');
    logger.info(
      { file, results: messages },
      `applied ${path.basename(file)}: ${messages.length} statement(s)`,
    );
  }
}

/** The `message` of a ksqlDB error body inside an error's text, or the text. */
function ksqlMessage(text: string): string {
  const body = text.slice(text.indexOf('{'));
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: the text as it is
  }
  return text;
}

// Streams a PRINT's lines into an HTTP response as text, one line each, until its LIMIT or until the
// client goes away (which ends the PRINT). A PRINT that fails after the first line ends the response
// with the error's message as a last line, as ksqlDB does.
import type { TopicPrint } from '../engine/api.js';
import type { Logger } from '../../service/index.js';
import { write, type RawResponse } from './stream-query.js';

export const PRINT_CONTENT_TYPE = 'text/plain; charset=utf-8';

export async function streamPrint(print: TopicPrint, response: RawResponse, logger: Logger): Promise<void> {
  const onClose = () => print.close();
  response.on('close', onClose);
  try {
    response.writeHead(200, { 'content-type': PRINT_CONTENT_TYPE });
    try {
      for await (const line of print.lines()) {
        if (response.destroyed) break;
        await write(response, `${line.text}\n`);
      }
    } catch (error) {
      logger.warn({ err: error }, 'PRINT failed while streaming');
      await write(response, `${(error as Error).message}\n`);
    }
    if (!response.destroyed) response.end();
  } finally {
    response.off('close', onClose);
    print.close();
  }
}

// GET /api/topics/:name/tail[?partition=N]: a live tail of a topic as server-sent events. Each new
// record is one `record` event whose data is the decoded record (as in the browse answer); a comment
// every 15 s keeps proxies from closing the stream. Closing the page ends the read.
import type { FastifyPluginAsync } from 'fastify';
import { toJsonSafe } from '../json.js';
import type { ApiContext } from './context.js';
import { optionalInteger } from './params.js';

const KEEP_ALIVE_MS = 15_000;

export const tailRoutes: FastifyPluginAsync<ApiContext> = async (app, { kafka, decoder }) => {
  app.get<{ Params: { name: string }; Querystring: { partition?: string } }>(
    '/api/topics/:name/tail',
    async (request, reply) => {
      const partition = optionalInteger(request.query.partition, 'partition');
      // A missing topic is answered as a JSON 404 before the stream starts.
      const described = await kafka.topics.describe(request.params.name);
      const abort = new AbortController();
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      out.write(': tailing\n\n');
      const keepAlive = setInterval(() => out.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      const finish = () => {
        clearInterval(keepAlive);
        abort.abort();
      };
      request.raw.on('close', finish);
      try {
        for await (const record of kafka.consume({
          topic: described.name,
          from: { kind: 'end' },
          ...(partition === undefined ? {} : { partitions: [partition] }),
          signal: abort.signal,
        })) {
          const data = JSON.stringify(toJsonSafe(await decoder.record(record)));
          out.write(`event: record\ndata: ${data}\n\n`);
        }
      } catch (error) {
        if (!abort.signal.aborted)
          out.write(`event: failure\ndata: ${JSON.stringify({ error: (error as Error).message })}\n\n`);
      } finally {
        finish();
        out.end();
      }
    },
  );
};

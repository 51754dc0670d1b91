// The readiness and liveness probe of the postgres component: a real `SELECT 1` over the wire, as any
// client would run it, so "ready" means PGlite answers queries, not only that the port is open. It
// speaks the few messages it needs itself: the supervisor runs it, and loading a full client (pg) there
// cost every `venice up` a quarter of a second and 10 MiB.
import net from 'node:net';
import { HEALTH_APPLICATION_NAME } from './defaults.js';
import {
  BackendMessageSplitter,
  responseFields,
  simpleQuery,
  startupMessage,
  typedMessage,
  type TypedMessage,
} from './wire.js';

/** The probe's answer (the supervisor's ProbeOutcome): `detail` says why it failed. */
export interface PostgresProbeOutcome {
  ok: boolean;
  detail?: string;
}

/** Connects to the embedded PostgreSQL (trust authentication) at `url`, runs SELECT 1 and disconnects. */
export function probePostgres(url: string, timeoutMs: number): Promise<PostgresProbeOutcome> {
  const target = new URL(url);
  const user = decodeURIComponent(target.username) || 'postgres';
  const database = decodeURIComponent(target.pathname.slice(1)) || user;
  return new Promise((resolve) => {
    const socket = net.connect({ host: target.hostname.replace(/^\[|\]$/g, ''), port: Number(target.port) });
    const splitter = new BackendMessageSplitter();
    let value: string | null = null;
    let finished = false;
    const finish = (outcome: PostgresProbeOutcome) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (socket.writable) socket.end(typedMessage('X', Buffer.alloc(0)));
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ ok: false, detail: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    let queried = false;
    const onMessage = (message: TypedMessage): void => {
      switch (message.type) {
        case 'R':
          if (message.body.readInt32BE(0) !== 0)
            finish({ ok: false, detail: 'the server asked for a password: the probe only knows trust' });
          return;
        case 'E':
          finish({ ok: false, detail: responseFields(message.body).get('M') ?? 'an error answer' });
          return;
        case 'D':
          // One column: int16 count, int32 length, the text.
          value = message.body.readInt32BE(2) < 0 ? null : message.body.subarray(6).toString('utf8');
          return;
        case 'Z':
          if (!queried) {
            queried = true;
            socket.write(simpleQuery('SELECT 1 AS one'));
          } else if (value === '1') finish({ ok: true });
          else finish({ ok: false, detail: `SELECT 1 answered ${JSON.stringify(value)}` });
          return;
      }
    };
    socket.once('connect', () =>
      socket.write(
        startupMessage({
          user,
          database,
          application_name: HEALTH_APPLICATION_NAME,
          client_encoding: 'UTF8',
        }),
      ),
    );
    socket.on('data', (chunk: Buffer) => {
      for (const message of splitter.push(chunk)) onMessage(message);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => finish({ ok: false, detail: error.message }));
    socket.once('close', () => finish({ ok: false, detail: 'the server closed the connection' }));
  });
}

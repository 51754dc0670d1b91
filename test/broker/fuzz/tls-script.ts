// One fuzz connection to an SSL listener: garbage instead of a handshake, a real ClientHello cut short
// or damaged, garbage in the record layer of a live session, or a good session carrying mutated and
// random Kafka frames. A correct broker closes what it cannot read (a stalled handshake after
// request.read.timeout.ms) and answers or closes Kafka frames as on a plain listener.
import net from 'node:net';
import tls from 'node:tls';
import { ApiKey } from '../../../src/protocol/generated/apis.js';
import { encodeFrame } from './frames.js';
import type { PlanBuilder } from './plan.js';
import type { Prng } from './prng.js';
import { answeredOrClosed, closedWithin, ScriptedConnection } from './scripted-connection.js';
import type { FuzzOutcome } from './sasl-script.js';

export interface TlsFuzzContext {
  port: number;
  /** How the well-behaved side connects (CA, server name). */
  tls: tls.ConnectionOptions;
  /** Real ClientHello records, as sent by Node's TLS client for TLS 1.2 and 1.3. */
  clientHellos: Buffer[];
  plans: PlanBuilder;
  answerWithinMs: number;
  /** A stalled handshake or frame: the broker's request.read.timeout.ms and some slack. */
  incompleteWithinMs: number;
}

/** The first flight of a real TLS client (its ClientHello), caught by a server that answers nothing. */
export async function captureClientHello(options: tls.ConnectionOptions): Promise<Buffer> {
  let chunks: Buffer[] = [];
  const server = net.createServer((socket) => {
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const client = tls.connect({ ...options, port, host: '127.0.0.1' });
  client.on('error', () => {});
  try {
    for (let waited = 0; waited < 5000; waited += 20) {
      const bytes = Buffer.concat(chunks);
      // A TLS record: type, version (2 bytes), length (2 bytes), then the body.
      if (bytes.length >= 5 && bytes.length >= 5 + bytes.readUInt16BE(3)) return bytes;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('no ClientHello within 5 s');
  } finally {
    chunks = [];
    client.destroy();
    server.close();
  }
}

const KINDS = ['garbage-first', 'client-hello', 'record-garbage', 'kafka-mutated', 'kafka-random'] as const;

export async function tlsFuzzConnection(context: TlsFuzzContext, rng: Prng): Promise<FuzzOutcome> {
  const kind = rng.pick(KINDS);
  let label: string = kind;
  let connection: ScriptedConnection | null = null;
  const outcome = (problem: string | null): FuzzOutcome => ({
    label,
    answered: (connection?.framesSinceMark ?? 0) > 0,
    closedByBroker: connection?.closedByBroker ?? false,
    problem: problem ?? (connection?.error ? `socket error ${connection.error}` : null),
  });
  try {
    switch (kind) {
      case 'garbage-first': {
        connection = await ScriptedConnection.tcp(context.port);
        const what = rng.pick(['random', 'kafka-frame', 'http', 'record-header'] as const);
        label += `: ${what}`;
        connection.write(garbageBeforeHandshake(rng, what));
        return outcome(
          await closedWithin(connection, context.incompleteWithinMs, `${what} before a handshake`),
        );
      }
      case 'client-hello': {
        connection = await ScriptedConnection.tcp(context.port);
        const hello = rng.pick(context.clientHellos);
        const damage = rng.pick(['truncated', 'bit-flip', 'length', 'then-garbage', 'alone'] as const);
        label += `: ${damage}`;
        // Even a whole ClientHello, answered by the server's first flight, leaves a handshake that must
        // time out.
        connection.write(damagedClientHello(rng, hello, damage));
        return outcome(
          await closedWithin(connection, context.incompleteWithinMs, `a ClientHello (${damage})`),
        );
      }
      case 'record-garbage': {
        connection = await ScriptedConnection.tls(context.port, tlsOptions(rng, context));
        if (rng.chance(0.5)) connection.write(apiVersionsFrame());
        connection.writeBelowTls(rng.bytes(rng.int(1, 2000)));
        return outcome(await closedWithin(connection, context.incompleteWithinMs, 'garbage below TLS'));
      }
      case 'kafka-mutated':
      case 'kafka-random': {
        connection = await ScriptedConnection.tls(context.port, tlsOptions(rng, context));
        const plan = context.plans.build(
          kind === 'kafka-mutated' ? 'mutated' : 'random-bytes',
          rng,
          rng.int(1, 30),
        );
        connection.write(Buffer.concat(plan.frames));
        if (kind === 'kafka-random') {
          return outcome(
            await closedWithin(connection, context.incompleteWithinMs, 'random Kafka frames over TLS'),
          );
        }
        return outcome(
          await answeredOrClosed(connection, context.incompleteWithinMs, 'mutated Kafka frames over TLS'),
        );
      }
    }
    throw new Error(`unknown TLS fuzz kind ${String(kind)}`);
  } finally {
    connection?.destroy();
  }
}

function tlsOptions(rng: Prng, context: TlsFuzzContext): tls.ConnectionOptions {
  return { ...context.tls, maxVersion: rng.pick(['TLSv1.2', 'TLSv1.3'] as const) };
}

function apiVersionsFrame(): Buffer {
  return encodeFrame(ApiKey.ApiVersions, 3, 1, { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' })
    .bytes;
}

function garbageBeforeHandshake(
  rng: Prng,
  what: 'random' | 'kafka-frame' | 'http' | 'record-header',
): Buffer {
  switch (what) {
    case 'random':
      return rng.bytes(rng.int(1, 3000));
    case 'kafka-frame':
      return apiVersionsFrame();
    case 'http':
      return Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    case 'record-header': {
      // A handshake record header announcing more than will come, or a huge or zero length.
      const header = Buffer.from([0x16, 0x03, rng.int(0, 4), 0, 0]);
      header.writeUInt16BE(rng.pick([0, 1, 0x4000, 0xffff, rng.int(2, 600)]), 3);
      return Buffer.concat([header, rng.bytes(rng.int(0, 40))]);
    }
  }
}

function damagedClientHello(
  rng: Prng,
  hello: Buffer,
  damage: 'truncated' | 'bit-flip' | 'length' | 'then-garbage' | 'alone',
): Buffer {
  switch (damage) {
    case 'truncated':
      return hello.subarray(0, rng.int(1, hello.length - 1));
    case 'bit-flip': {
      const out = Buffer.from(hello);
      for (let flips = rng.int(1, 6); flips > 0; flips--)
        out[rng.int(0, out.length - 1)] ^= 1 << rng.int(0, 7);
      return out;
    }
    case 'length': {
      // The record's or the handshake message's length no longer matches the bytes.
      const out = Buffer.from(hello);
      if (rng.chance(0.5)) out.writeUInt16BE(rng.int(0, 0xffff), 3);
      else out.writeUIntBE(rng.int(0, 0xffffff), 6, 3);
      return out;
    }
    case 'then-garbage':
      return Buffer.concat([hello, rng.bytes(rng.int(1, 500))]);
    case 'alone':
      return hello;
  }
}

// A port that cannot be bound: the error names the port, what it is for, the process holding it, and
// every way to choose another.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listenOrExplain, ServiceStartError } from '../../src/service/index.js';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

function listen(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => resolve((server.address() as net.AddressInfo).port));
  });
}

async function occupiedPort(): Promise<number> {
  const holder = net.createServer();
  servers.push(holder);
  return listen(holder, 0);
}

async function failureOf(promise: Promise<unknown>): Promise<ServiceStartError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the bind to fail');
    },
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ServiceStartError);
  return error as ServiceStartError;
}

describe('listenOrExplain', () => {
  it('resolves with what the bind gives when the port is free', async () => {
    const server = net.createServer();
    servers.push(server);
    const port = await listenOrExplain({ host: '127.0.0.1', port: 0, setting: { setting: 'sql' } }, () =>
      listen(server, 0),
    );
    expect(port).toBeGreaterThan(0);
  });

  it('names the process holding the port and the settings that change it', async () => {
    const port = await occupiedPort();
    const server = net.createServer();
    const error = await failureOf(
      listenOrExplain({ host: '127.0.0.1', port, setting: { setting: 'registry' } }, () =>
        listen(server, port),
      ),
    );
    expect(error.message).toMatch(
      new RegExp(
        `^port ${port} \\(schema registry\\) on 127\\.0\\.0\\.1 is already in use by pid ${process.pid} \\(.*node`,
      ),
    );
    expect(error.hint).toBe(
      'stop that process, or choose another port with --registry-port <port>, VENICE_REGISTRY_PORT=<port>, ' +
        'or `ports.registry` in venice.yaml',
    );
  });

  it("names the running command's own flag first when it has one", async () => {
    const port = await occupiedPort();
    const error = await failureOf(
      listenOrExplain({ host: '127.0.0.1', port, setting: { setting: 'kafka', commandFlag: '--port' } }, () =>
        listen(net.createServer(), port),
      ),
    );
    expect(error.hint).toBe(
      'stop that process, or choose another port with --port <port> (under `venice up`: --kafka-port <port>, ' +
        'VENICE_KAFKA_PORT=<port>, or `ports.kafka` in venice.yaml)',
    );
  });

  it('passes other failures on unchanged', async () => {
    const failure = new Error('something else');
    await expect(
      listenOrExplain({ host: '127.0.0.1', port: 1, setting: { setting: 'kafka' } }, () =>
        Promise.reject(failure),
      ),
    ).rejects.toBe(failure);
  });
});

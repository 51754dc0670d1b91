// Port conflicts are found before start, with the process holding the port when Linux tells.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  describeConflict,
  findDuplicatePorts,
  findFetchBlockedPort,
  findListener,
  findPortConflicts,
} from '../../src/supervisor/ports.js';
import { freePort } from '../helpers/broker.js';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function occupy(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as net.AddressInfo).port;
}

describe('findPortConflicts', () => {
  it('finds nothing on free ports', async () => {
    expect(await findPortConflicts('127.0.0.1', [{ name: 'kafka', port: await freePort() }])).toEqual([]);
  });

  it('names the port, the setting and the process holding it', async () => {
    const port = await occupy();
    const free = await freePort();
    const conflicts = await findPortConflicts('127.0.0.1', [
      { name: 'kafka', port },
      { name: 'brokerHealth', port: free },
    ]);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      name: 'kafka',
      port,
      cause: 'in use',
      holder: { pid: process.pid },
    });
    const { message, hint } = describeConflict(conflicts[0]);
    expect(message).toMatch(
      new RegExp(
        `^port ${port} \\(Kafka\\) on 127\\.0\\.0\\.1 is already in use by pid ${process.pid} \\(.*node`,
      ),
    );
    expect(hint).toBe(
      'stop that process, or choose another port with --kafka-port <port>, VENICE_KAFKA_PORT=<port>, or `ports.kafka` in venice.yaml',
    );
  });

  it('sees a port held on every interface as taken on loopback', async () => {
    const port = await occupy('0.0.0.0');
    const [conflict] = await findPortConflicts('127.0.0.1', [{ name: 'kafka', port }]);
    expect(conflict?.holder?.pid).toBe(process.pid);
  });

  it('finds no listener on a free port', async () => {
    expect(findListener(await freePort())).toBeNull();
  });

  it('finds two settings sharing a port', () => {
    expect(
      findDuplicatePorts([
        { name: 'kafka', port: 1 },
        { name: 'brokerHealth', port: 2 },
        { name: 'registry', port: 1 },
      ]),
    ).toEqual([
      { name: 'kafka', port: 1 },
      { name: 'registry', port: 1 },
    ]);
    expect(findDuplicatePorts([{ name: 'kafka', port: 1 }])).toBeNull();
  });
});

describe('findFetchBlockedPort', () => {
  it('finds an HTTP port that browsers and fetch refuse, and leaves Kafka and PostgreSQL alone', () => {
    expect(findFetchBlockedPort([{ name: 'console', port: 6000 }])).toEqual({ name: 'console', port: 6000 });
    expect(findFetchBlockedPort([{ name: 'sql', port: 10080 }])).toEqual({ name: 'sql', port: 10080 });
    expect(findFetchBlockedPort([{ name: 'kafka', port: 6000 }])).toBeNull();
    expect(findFetchBlockedPort([{ name: 'postgres', port: 6666 }])).toBeNull();
    expect(findFetchBlockedPort([{ name: 'registry', port: 8081 }])).toBeNull();
  });
});

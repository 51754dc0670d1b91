// `venice users` against the broker, and the user it creates authenticating with kcat over SASL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker } from '../helpers/broker.js';
import { runKcat } from '../helpers/kcat.js';
import { runVenice } from './run-venice.js';
import type { RunningBroker } from '../../src/broker/main.js';

let broker: RunningBroker;
const servers = () => ['--bootstrap-servers', `127.0.0.1:${broker.ports.PLAINTEXT}`];

function kcatAs(password: string): string[] {
  return [
    '-b',
    `127.0.0.1:${broker.ports.SASL_PLAINTEXT}`,
    '-X',
    'security.protocol=SASL_PLAINTEXT',
    '-X',
    'sasl.mechanisms=SCRAM-SHA-256',
    '-X',
    'sasl.username=frank',
    '-X',
    `sasl.password=${password}`,
    '-L',
    '-m',
    '5',
  ];
}

beforeAll(async () => {
  broker = await startTestBroker({ listeners: 'PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0' });
});
afterAll(async () => {
  await broker?.stop();
});

describe('venice users', { timeout: 120_000 }, () => {
  it('creates a user that can authenticate, lists it without secrets, and deletes it', async () => {
    const created = await runVenice(['users', 'create', 'frank', '--password-stdin', ...servers()], {
      input: 'frank-secret\n',
    });
    expect(created.code, created.stderr).toBe(0);
    expect((await runKcat(kcatAs('frank-secret'))).code).toBe(0);

    const listed = await runVenice(['users', '--json', ...servers()]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      {
        name: 'frank',
        credentials: [
          { mechanism: 'SCRAM-SHA-256', iterations: 8192 },
          { mechanism: 'SCRAM-SHA-512', iterations: 8192 },
        ],
      },
    ]);

    const deleted = await runVenice(['users', 'delete', 'frank', ...servers()]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((await runKcat(kcatAs('frank-secret'))).code).not.toBe(0);
    const missing = await runVenice(['users', 'delete', 'frank', ...servers()]);
    expect(missing.code).not.toBe(0);
  });
});

// What the CLI says in the small cases issue #8 listed: --version, help, the short forms, an offset
// past the end, a compatibility verdict, a schema registered twice, a bad topic name, and the
// commands of components still to come.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRegistry } from '../../src/registry/service.js';
import { startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { startTestRegistry, type TestBroker } from '../registry/helpers.js';
import { runVenice } from './run-venice.js';

let broker: TestBroker;
let registry: RunningRegistry;
let files: string;

beforeAll(async () => {
  broker = await startTestBroker();
  registry = await startTestRegistry(broker.bootstrap);
  files = temporaryDataDir('messages-cli');
});
afterAll(async () => {
  await registry?.stop();
  await broker?.stop();
});

const venice = (args: string[], input?: string) =>
  runVenice(args, {
    input,
    env: { VENICE_BOOTSTRAP_SERVERS: broker.bootstrap, VENICE_REGISTRY_URL: registry.url },
  });

function schemaFile(name: string, idType: string): string {
  const file = path.join(files, name);
  fs.writeFileSync(
    file,
    JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'id', type: idType }] }),
  );
  return file;
}

describe('what venice says', { timeout: 240_000 }, () => {
  it('prints its version, help for a command with status 0, and the short forms in --help', async () => {
    const { version } = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
    const printed = await venice(['--version']);
    expect(printed).toMatchObject({ code: 0, stdout: `${version}\n` });
    const helped = await venice(['help', 'consume']);
    expect(helped.code).toBe(0);
    expect(helped.stdout).toContain('Usage: venice consume');
    const help = await venice(['--help']);
    for (const [alias, command] of [
      ['-st', 'status'],
      ['-t', 'topics'],
      ['-s', 'schemas'],
      ['-l', 'logs'],
      ['-r', 'restart'],
      ['-i', 'install'],
    ])
      expect(help.stdout).toMatch(new RegExp(`^\\s+${alias}\\s+venice ${command}$`, 'm'));
    // A subcommand's own --version is still its own.
    const shown = await venice(['schemas', 'show', 'nothing-value', '--version', '1']);
    expect(shown.code).toBe(4);
  });

  it('says where a topic ends when --from is past it', async () => {
    await venice(['produce', 'short', '--quiet'], 'a\nb\n');
    const result = await venice(['consume', 'short', '--from', '10', '-e']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('offset 10 is past the end of short (partition 0 ends at 2)');
  });

  it('explains the topic naming rules when producing to a bad name', async () => {
    const result = await venice(['produce', 'bad name!'], 'a\n');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"bad name!": it is not a valid topic name');
    expect(result.stderr).toContain('ASCII letters, digits, ".", "_" and "-"');
  });

  it('says a schema was already registered, and gives a check verdict as sentences', async () => {
    const v1 = schemaFile('v1.avsc', 'string');
    expect((await venice(['schemas', 'register', 'said-value', v1])).stdout).toMatch(
      /^Registered said-value version 1 \(id \d+, AVRO\)\.$/m,
    );
    const again = await venice(['schemas', 'register', 'said-value', v1]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /^Already registered: said-value version 1 \(id \d+, AVRO\) is this schema; nothing changed\.$/m,
    );
    const json = JSON.parse((await venice(['schemas', 'register', 'said-value', v1, '--json'])).stdout);
    expect(json).toMatchObject({ subject: 'said-value', version: 1, alreadyRegistered: true });

    const check = await venice(['schemas', 'check', 'said-value', schemaFile('v2.avsc', 'int')]);
    expect(check.code).toBe(1);
    const lines = check.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^Incompatible with said-value under BACKWARD: .*v2\.avsc cannot be registered:$/,
    );
    expect(lines.slice(1).length).toBeGreaterThan(0);
    // Every line is a sentence: none is the registry's `{oldSchemaVersion: …}` note.
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {2}- [A-Z_]+ /);
  });

  it('answers connectors with what it will do, which issue brings it, and exit code 5', async () => {
    for (const [args, issue] of [
      [['connectors', 'list'], 11],
      [['-c'], 11],
    ] as const) {
      const result = await venice([...args]);
      expect(result.code, args.join(' ')).toBe(5);
      expect(result.stderr).toMatch(
        new RegExp(`is not available yet: it will .+; it comes with issue #${issue}`),
      );
    }
    expect((await venice(['--help'])).stdout).toMatch(/connectors \[args\.\.\.\]\s+\(planned, issue #11\)/);
  });
});

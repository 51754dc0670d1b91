// The layer rule of eslint.config.js, proven: deliberate bad imports (test/lint/fixtures/, left out of
// the normal lint run and of tsc) are linted as if they sat in src/, and each must be refused with the
// layer's message; a service's allowed imports must pass.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = path.join(root, 'test/lint/fixtures');

interface Case {
  fixture: string;
  /** Where the fixture is placed for the lint run. */
  as: string;
  /** The start of each expected message, in line order. */
  refused: string[];
  /** The rule that refuses: import() is checked by no-restricted-syntax. */
  rule?: string;
}

const CASES: Case[] = [
  {
    fixture: 'registry-imports-broker.ts',
    as: 'src/registry/x.ts',
    refused: ['registry must not import broker: services reach Kafka through src/client'],
  },
  {
    fixture: 'registry-imports-broker-lazily.ts',
    as: 'src/registry/x.ts',
    refused: ['registry must not import broker'],
    rule: 'no-restricted-syntax',
  },
  {
    fixture: 'connect-imports-sql.ts',
    as: 'src/connect/x.ts',
    refused: ['connect must not import sql: each service runs as its own process and stands alone'],
  },
  {
    fixture: 'registry-imports-protocol.ts',
    as: 'src/registry/store/x.ts',
    refused: ['registry must not import protocol: only the broker and the client speak'],
  },
  {
    fixture: 'registry-imports-kafka-library.ts',
    as: 'src/registry/x.ts',
    refused: ['registry must not use the Kafka library directly'],
  },
  {
    fixture: 'config-imports-cli-and-supervisor.ts',
    as: 'src/config/x.ts',
    refused: ['config must not import cli: nothing imports the CLI', 'config must not import supervisor'],
  },
  {
    fixture: 'broker-imports-cli.ts',
    as: 'src/broker/x.ts',
    refused: ['broker must not import cli'],
  },
  {
    // The same import is fine where the CLI itself makes it.
    fixture: 'broker-imports-cli.ts',
    as: 'src/cli/x.ts',
    refused: ['cli must not import protocol'],
  },
  { fixture: 'registry-imports-client.ts', as: 'src/registry/x.ts', refused: [] },
];

describe('eslint layer rule', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: root });
  });

  it.each(CASES)('$fixture as $as', async ({ fixture, as, refused, rule = 'no-restricted-imports' }) => {
    const code = fs.readFileSync(path.join(fixtures, fixture), 'utf8');
    const [result] = await eslint.lintText(code, { filePath: path.join(root, as) });
    // Every problem must be a layer one: the fixtures are otherwise clean.
    expect(result.messages.map((message) => message.ruleId)).toEqual(refused.map(() => rule));
    result.messages.forEach((message, index) => expect(message.message).toContain(refused[index]));
  });
});

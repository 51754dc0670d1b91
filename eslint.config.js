import fs from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layers of src/ point one way (docs/architecture.md). For each folder, what it must not import,
// and why. test/lint/layers.test.ts proves each rule on a deliberate bad import.
const SERVICES = ['registry', 'sql', 'connect', 'console', 'demo'];
const KAFKA_SPEAKERS = ['broker', 'client', 'protocol'];
const LAYER_RULES = [
  {
    target: 'cli',
    appliesTo: (folder) => folder !== 'cli',
    message:
      'nothing imports the CLI: move what both need below it (config, supervisor, or a module both import)',
  },
  {
    target: 'protocol',
    appliesTo: (folder) => !KAFKA_SPEAKERS.includes(folder),
    message: 'only the broker and the client speak the Kafka wire protocol: go through src/client',
  },
  {
    target: 'broker',
    appliesTo: (folder) => SERVICES.includes(folder),
    message: 'services reach Kafka through src/client, never through the broker',
  },
  {
    target: 'supervisor',
    appliesTo: (folder) => !['supervisor', 'cli'].includes(folder),
    message:
      'only the CLI drives the supervisor; config and the components sit below it and take what they ' +
      'need (the component catalog, a data dir) as parameters',
  },
  ...SERVICES.map((service) => ({
    target: service,
    appliesTo: (folder) => SERVICES.includes(folder) && folder !== service,
    message:
      'each service runs as its own process and stands alone: move what two services share into a ' +
      'shared folder (serdes, service, config)',
  })),
];
/** The one module that wraps the Kafka client library, so that its errors are mapped in one place. */
const KAFKA_LIBRARIES = ['@platformatic/kafka', 'kafkajs'];

const sourceRoot = path.join(import.meta.dirname, 'src');
const FOLDERS = [
  ...new Set([
    ...fs
      .readdirSync(sourceRoot, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name),
    ...SERVICES,
  ]),
];
// no-restricted-imports sees the specifier as written, so the number of `../` that reach src/ depends
// on how deep the importing file is: one block per depth keeps the match exact.
const MAX_DEPTH = 6;

function layerBlocks() {
  const blocks = [];
  for (const folder of FOLDERS) {
    const rules = LAYER_RULES.filter((rule) => rule.appliesTo(folder));
    for (let depth = 1; depth <= MAX_DEPTH; depth++) {
      const toSource = '\\.\\./'.repeat(depth);
      const patterns = rules.map((rule) => ({
        regex: `^${toSource}${rule.target}(/|$)`,
        message: `${folder} must not import ${rule.target}: ${rule.message}.`,
      }));
      if (folder !== 'client') {
        patterns.push({
          group: KAFKA_LIBRARIES.flatMap((name) => [name, `${name}/*`]),
          message: `${folder} must not use the Kafka library directly: src/client is the one module that wraps it.`,
        });
      }
      if (patterns.length === 0) continue;
      // no-restricted-imports does not see import(): the same patterns, as selectors on its source.
      // (esquery's regex cannot hold a slash, hence \u002F.)
      const dynamicImports = rules.map((rule) => ({
        selector: `ImportExpression > Literal.source[value=/^${toSource.replaceAll('/', '\\u002F')}${rule.target}(\\u002F|$)/]`,
        message: `${folder} must not import ${rule.target}: ${rule.message}.`,
      }));
      blocks.push({
        files: [`src/${folder}/${'*/'.repeat(depth - 1)}*.ts`],
        rules: {
          'no-restricted-imports': ['error', { patterns }],
          ...(dynamicImports.length > 0 ? { 'no-restricted-syntax': ['error', ...dynamicImports] } : {}),
        },
      });
    }
  }
  return blocks;
}

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'src/protocol/generated/',
      '.venice/',
      'coverage/',
      // Deliberate bad imports, linted by test/lint/layers.test.ts as if they were in src/.
      'test/lint/fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layerBlocks(),
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly' },
    },
  },
);

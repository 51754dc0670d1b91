// Reads the statements of ksqlDB's functional test cases (../shared/ksql-conformance, beside the checkout),
// for the parser's conformance test and its benchmark. The cases are data kept outside the repo.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..', '..');

export interface ConformanceCase {
  /** `qtt/joins.json` */
  readonly file: string;
  readonly name: string;
  /**
   * The statements, once per entry of the case's `format` list with `{FORMAT}` (and `{CONFIG}`)
   * substituted; a case without a list gives one variant.
   */
  readonly variants: readonly (readonly string[])[];
  /** The message of expectedException (qtt) or expectedError (rest), when the case must fail. */
  readonly expectedError?: string;
}

/**
 * Where the cases are: $KSQL_CONFORMANCE, else ../shared/ksql-conformance beside the checkout, or beside
 * the main checkout when this one is a git worktree. Undefined when none exists (a user's clone).
 */
export function conformanceDir(): string | undefined {
  const candidates = [process.env.KSQL_CONFORMANCE, join(repoRoot, '..', 'shared', 'ksql-conformance')];
  try {
    const commonGitDir = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    candidates.push(join(dirname(resolve(commonGitDir)), '..', 'shared', 'ksql-conformance'));
  } catch {
    // Not a git checkout (an unpacked tarball): only the first two places count.
  }
  return candidates.find((dir): dir is string => dir !== undefined && existsSync(join(dir, 'qtt')));
}

interface CaseFile {
  readonly tests: readonly {
    readonly name: string;
    readonly statements: readonly string[];
    readonly format?: readonly string[];
    readonly config?: readonly string[];
    readonly expectedException?: { readonly message?: string };
    readonly expectedError?: { readonly message?: string };
  }[];
}

export function loadConformanceCases(dir: string): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const folder of ['qtt', 'rest']) {
    const folderPath = join(dir, folder);
    if (!existsSync(folderPath)) continue;
    for (const fileName of readdirSync(folderPath)
      .filter((name) => name.endsWith('.json'))
      .sort()) {
      const file = `${folder}/${fileName}`;
      const parsed = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CaseFile;
      for (const test of parsed.tests) {
        const formats = test.format ?? [''];
        const configs = test.config ?? [''];
        const variants = formats.flatMap((format) =>
          configs.map((config) =>
            test.statements.map((statement) =>
              statement.replaceAll('{FORMAT}', format).replaceAll('{CONFIG}', config),
            ),
          ),
        );
        const error = test.expectedException ?? test.expectedError;
        cases.push({
          file,
          name: test.name,
          variants,
          ...(error === undefined ? {} : { expectedError: error.message ?? '' }),
        });
      }
    }
  }
  return cases;
}

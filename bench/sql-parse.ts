// Parse speed of the SQL parser over every statement of ksqlDB's functional test cases
// (../shared/ksql-conformance): statements/s and MB/s, median of 9 trials after a warm-up.
// Run: npm run bench:sql-parse   (a tsx script; the cases must be present beside the checkout)
import { parseStatements, tokenize } from '../src/sql/parser/index.js';
import { conformanceDir, loadConformanceCases } from '../test/sql/parser/conformance-cases.js';

const TRIALS = 9;
const dir = conformanceDir();
if (dir === undefined) {
  console.log(
    'no ksqlDB conformance cases at ../shared/ksql-conformance (or $KSQL_CONFORMANCE): nothing to measure',
  );
  process.exit(0);
}

// Every statement once, from the first variant of each case; the ones that fail to parse (cases that
// expect a syntax error) are left out so that the figure is of successful parses.
const statements = loadConformanceCases(dir)
  .flatMap((c) => c.variants[0])
  .filter((statement) => {
    try {
      parseStatements(statement);
      return true;
    } catch {
      return false;
    }
  });
const bytes = statements.reduce((sum, statement) => sum + Buffer.byteLength(statement), 0);

/** Seconds for one pass over all the statements. */
function trial(pass: () => void): number {
  const started = process.hrtime.bigint();
  pass();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function median(pass: () => void): number {
  for (let i = 0; i < 3; i++) trial(pass); // warm-up
  const times = Array.from({ length: TRIALS }, () => trial(pass)).sort((a, b) => a - b);
  return times[Math.floor(TRIALS / 2)];
}

const script = statements.map((statement) => statement.replace(/;\s*$/, '')).join(';\n');
const lexSeconds = median(() => statements.forEach((statement) => tokenize(statement)));
const parseSeconds = median(() => statements.forEach((statement) => parseStatements(statement)));
const scriptSeconds = median(() => parseStatements(script));

console.log(`${statements.length} statements, ${(bytes / 1024).toFixed(0)} KiB; median of ${TRIALS} trials`);
const row = (what: string, seconds: number) =>
  console.log(
    `${what.padEnd(34)} ${Math.round(statements.length / seconds)
      .toLocaleString('en')
      .padStart(9)} statements/s  ` + `${(bytes / seconds / 1e6).toFixed(1).padStart(5)} MB/s`,
  );
row('tokenize only', lexSeconds);
row('parseStatements, one by one', parseSeconds);
row('parseStatements, all as one script', scriptSeconds);

// Vitest global setup: the CLI tests run the built CLI (bin/venice.js imports dist/), so a dist older
// than src/ would test yesterday's code. Rebuild when any source is newer than its output; when dist is
// fresh (as right after `npm run build` in `npm test`) this is only a walk over file times.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SOURCE_DIR = path.join(ROOT, 'src');
const OUTPUT_DIR = path.join(ROOT, 'dist');
/** Changing how the sources compile makes every output stale too. */
const BUILD_CONFIGS = ['tsconfig.json', 'tsconfig.build.json'].map((name) => path.join(ROOT, name));
/** Sources tsc does not compile: the console's UI, which Vite bundles (npm run build:console). */
const NOT_COMPILED = [path.join(SOURCE_DIR, 'console', 'ui')];

export default function buildDistIfStale(): void {
  const reason = staleReason();
  if (reason === null) return;
  console.log(`dist is stale (${reason}): building it before the tests (npm run build)`);
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
  } catch (error) {
    const output = (error as { stdout?: Buffer }).stdout?.toString() ?? String(error);
    throw new Error(`npm run build failed, so the CLI tests cannot run:\n${output}`, { cause: error });
  }
}

/** Why dist does not match src, or null when every source is older than its compiled file. */
function staleReason(): string | null {
  const configTime = Math.max(...BUILD_CONFIGS.map((file) => fs.statSync(file).mtimeMs));
  for (const source of sourceFiles(SOURCE_DIR)) {
    const relative = path.relative(SOURCE_DIR, source);
    const output = path.join(OUTPUT_DIR, relative.replace(/\.ts$/, '.js'));
    let outputTime: number;
    try {
      outputTime = fs.statSync(output).mtimeMs;
    } catch {
      return `no dist/${relative.replace(/\.ts$/, '.js')}`;
    }
    if (outputTime < fs.statSync(source).mtimeMs) return `src/${relative} changed`;
    if (outputTime < configTime) return 'a tsconfig changed';
  }
  return null;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!NOT_COMPILED.includes(full)) yield* sourceFiles(full);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield full;
  }
}

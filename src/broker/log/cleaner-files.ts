// The file protocol that makes replacing segments after compaction crash-safe.
//   1. the cleaned segment is written and fsynced as `<base>.log.cleaned`;
//   2. a manifest `<base>.swap.json` listing the replaced segments is written atomically: the commit point;
//   3. the replaced segments' files are deleted and `<base>.log.cleaned` is renamed to `<base>.log`;
//   4. the manifest is deleted.
// On open, a manifest means steps 3-4 are redone; a `.cleaned` file without a manifest is discarded.
import fs from 'node:fs';
import path from 'node:path';
import { readJsonFile, writeFileAtomic } from './files.js';
import { segmentFileName } from './segment.js';

const MANIFEST_SUFFIX = '.swap.json';
export const CLEANED_SUFFIX = '.log.cleaned';

interface SwapManifest {
  base: number;
  replaced: number[];
}

export function cleanedLogPath(dir: string, base: number): string {
  return path.join(dir, segmentFileName(base, CLEANED_SUFFIX));
}

/** Step 2: after this returns, the swap will complete even if the process dies. */
export function commitSwap(dir: string, base: number, replaced: readonly number[]): void {
  const manifest: SwapManifest = { base, replaced: [...replaced] };
  writeFileAtomic(path.join(dir, segmentFileName(base, MANIFEST_SUFFIX)), JSON.stringify(manifest));
}

/** Steps 3-4 (the caller has closed the replaced segments). */
export function finishSwap(dir: string, base: number, replaced: readonly number[]): void {
  const cleaned = cleanedLogPath(dir, base);
  const cleanedExists = fs.existsSync(cleaned);
  for (const old of replaced) {
    // Once the rename below happened, `base` names the new segment; only its stale indexes may go.
    if (old === base && !cleanedExists) continue;
    for (const suffix of ['.index', '.timeindex', '.log']) {
      fs.rmSync(path.join(dir, segmentFileName(old, suffix)), { force: true });
    }
  }
  if (cleanedExists) fs.renameSync(cleaned, path.join(dir, segmentFileName(base, '.log')));
  fs.rmSync(path.join(dir, segmentFileName(base, MANIFEST_SUFFIX)), { force: true });
}

/** Completes committed swaps and discards uncommitted cleaner output. Runs before segments are loaded. */
export function completeInterruptedCleaning(dir: string): void {
  const names = fs.readdirSync(dir);
  for (const name of names) {
    if (!name.endsWith(MANIFEST_SUFFIX)) continue;
    const manifest = readJsonFile(path.join(dir, name)) as SwapManifest | undefined;
    if (manifest && typeof manifest.base === 'number' && Array.isArray(manifest.replaced)) {
      finishSwap(dir, manifest.base, manifest.replaced);
    } else {
      // A manifest is written atomically, so an unreadable one was never committed.
      fs.rmSync(path.join(dir, name), { force: true });
    }
  }
  for (const name of fs.readdirSync(dir)) {
    if (name.endsWith(CLEANED_SUFFIX)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

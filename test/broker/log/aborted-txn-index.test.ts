// The aborted-transaction index keeps every entry across a write the disk refused: the entry stays in
// memory, the refusal is handed to the caller to report, and the next sync rewrites the file whole.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortedTxnIndex } from '../../../src/broker/log/aborted-txn-index.js';

describe('AbortedTxnIndex', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps an entry whose append failed and writes it with the next sync', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-aborted-index-'));
    dirs.push(dir);
    const file = path.join(dir, 'partition', 'aborted-txns.index');
    fs.mkdirSync(path.dirname(file));
    const index = new AbortedTxnIndex(file);
    index.append({ producerId: 7, firstOffset: 0, lastOffset: 3 });

    // The folder vanishing makes the next append fail (ENOENT), as a full disk would (ENOSPC).
    fs.rmSync(path.dirname(file), { recursive: true });
    index.append({ producerId: 8, firstOffset: 4, lastOffset: 9 });
    expect((index.takeWriteError() as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(index.takeWriteError()).toBeNull();
    expect(index.overlapping(0, 100).map((entry) => entry.producerId)).toEqual([7, 8]);

    fs.mkdirSync(path.dirname(file));
    index.append({ producerId: 9, firstOffset: 10, lastOffset: 12 });
    index.sync();
    const reopened = new AbortedTxnIndex(file);
    reopened.load();
    expect(reopened.overlapping(0, 100).map((entry) => entry.producerId)).toEqual([7, 8, 9]);
  });
});

// Hands out idempotent-producer ids that stay unique across restarts: ids are reserved in blocks and
// the end of the reserved block is persisted before any id from it is used.
import fs from 'node:fs';
import path from 'node:path';

const BLOCK_SIZE = 1000;

export class ProducerIdAllocator {
  private next: number;
  private blockEnd: number;
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'producer-id-block');
    const saved = fs.existsSync(this.file) ? Number(fs.readFileSync(this.file, 'utf8').trim()) : 0;
    this.next = Number.isSafeInteger(saved) && saved > 0 ? saved : 0;
    this.blockEnd = this.next;
  }

  allocate(): bigint {
    if (this.next >= this.blockEnd) {
      const blockEnd = this.next + BLOCK_SIZE;
      const temporary = `${this.file}.tmp`;
      fs.writeFileSync(temporary, String(blockEnd), { mode: 0o600 });
      fs.renameSync(temporary, this.file);
      // Only once it is on disk: a write a full disk refused must not hand out ids a restart hands out again.
      this.blockEnd = blockEnd;
    }
    return BigInt(this.next++);
  }
}

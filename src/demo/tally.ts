// The demo producer's own account, kept in its folder: the seed and how many orders the broker has
// acknowledged. A restart resumes the same seeded sequence after those orders, so none is sent twice,
// and tests compare the pipeline's figures with the orders this count implies.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface Tally {
  seed: string;
  /** Orders acknowledged by the broker, over every run of this data dir. */
  produced: number;
}

export const TALLY_FILE = 'tally.json';

export class TallyStore {
  readonly file: string;
  #tally: Tally;

  /** Reads the tally in `dir`, or starts one with `seed` (a random one when null). */
  constructor(dir: string, seed: string | null) {
    this.file = path.join(dir, TALLY_FILE);
    const saved = readTally(this.file);
    if (saved !== null && seed !== null && saved.seed !== seed)
      throw new Error(
        `${this.file} continues seed ${saved.seed}, not ${seed}: leave the seed as it was, or start from a fresh data dir (venice down --purge)`,
      );
    this.#tally = saved ?? { seed: seed ?? crypto.randomBytes(6).toString('hex'), produced: 0 };
  }

  get tally(): Readonly<Tally> {
    return this.#tally;
  }

  /** Counts acknowledged orders and writes the tally at once (a new file renamed over the old). */
  add(orders: number): void {
    this.#tally = { ...this.#tally, produced: this.#tally.produced + orders };
    this.save();
  }

  save(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(this.#tally) + '\n');
    fs.renameSync(temporary, this.file);
  }
}

export function readTally(file: string): Tally | null {
  if (!fs.existsSync(file)) return null;
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Tally>;
  if (typeof parsed.seed !== 'string' || typeof parsed.produced !== 'number')
    throw new Error(`${file} is not a demo tally ({"seed", "produced"}): remove it to start counting again`);
  return { seed: parsed.seed, produced: parsed.produced };
}

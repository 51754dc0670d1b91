// The progress line of `venice produce --generate`: in place on a terminal, a line every few seconds
// otherwise, with the rate since the last line.
import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/commands/produce-generate.js';

function capture(isTTY: boolean) {
  const written: string[] = [];
  return { written, output: { isTTY, write: (text: string) => written.push(text) } };
}

describe('the progress line', () => {
  it('rewrites one line on a terminal and clears it at the end', () => {
    const { written, output } = capture(true);
    const progress = new Progress(false, output);
    progress.update(100, 0, 100); // too soon
    progress.update(1000, 0, 500);
    progress.update(3000, 2, 1500);
    progress.clear();
    expect(written).toEqual([
      '\r\x1b[2Ksent 1,000 records · 2,000/s · 0 errors · 0s',
      '\r\x1b[2Ksent 3,000 records · 2,000/s · 2 errors · 1s',
      '\r\x1b[2K',
    ]);
  });

  it('prints a line every few seconds elsewhere, and nothing when silent', () => {
    const { written, output } = capture(false);
    const progress = new Progress(false, output);
    for (let second = 1; second <= 11; second++) progress.update(second * 200, 0, second * 1000);
    progress.clear();
    expect(written).toEqual([
      'sent 1,000 records · 200/s · 0 errors · 5s\n',
      'sent 2,000 records · 200/s · 0 errors · 10s\n',
    ]);
    const quiet = capture(true);
    new Progress(true, quiet.output).update(1000, 0, 5000);
    expect(quiet.written).toEqual([]);
  });
});

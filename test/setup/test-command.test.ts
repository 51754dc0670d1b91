// The README's test command is what CI runs: .ci/run carries the same line, so a package added to one
// (kcat, chromium, docker-compose, ...) cannot be missing from the other.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

function readmeCommand(): string {
  const readme = fs.readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Test it'));
  const block = /```sh\n([^\n]+)\n```/.exec(section);
  if (block === null) throw new Error('README.md: no sh block under "## Test it"');
  return block[1];
}

describe('the test command', () => {
  it('is the same line in README.md and .ci/run', () => {
    const command = readmeCommand();
    expect(command).toMatch(/^apt-get update && /);
    const ciLines = fs.readFileSync('.ci/run', 'utf8').split('\n');
    expect(ciLines).toContain(command);
  });
});

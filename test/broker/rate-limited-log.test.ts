import { describe, expect, it } from 'vitest';
import { RateLimitedLog } from '../../src/broker/rate-limited-log.js';
import { waitFor } from '../helpers/wait.js';

describe('RateLimitedLog', () => {
  it('prints a few lines per kind per interval, then one summary of the rest', async () => {
    const lines: string[] = [];
    const log = new RateLimitedLog((line) => lines.push(line), { linesPerInterval: 2, intervalMs: 200 });
    for (let i = 0; i < 5; i++) log.warning('garbage', `garbage ${i}`);
    log.warning('refused', 'refused 0');
    expect(lines).toEqual(['garbage 0', 'garbage 1', 'refused 0']);
    await waitFor(() => lines.length === 4, { what: 'the summary line at the end of the interval' });
    expect(lines[3]).toBe(
      'suppressed 3 similar warnings (garbage) in the last 0.2 s (at most 2 printed per 0.2 s)',
    );
    // A new interval prints again.
    log.warning('garbage', 'garbage 5');
    expect(lines[4]).toBe('garbage 5');
    log.flush();
    expect(lines).toHaveLength(5); // nothing suppressed, so no summary
  });
});

// The schema page's line diff: kept, removed and added lines in order.
import { describe, expect, it } from 'vitest';
import { diffLines } from '../../src/console/ui/diff.js';

describe('diffLines', () => {
  it('keeps common lines and marks what changed', () => {
    const before = ['{', '  "name": "Order",', '  "fields": [', '    "id"', '  ]', '}'].join('\n');
    const after = ['{', '  "name": "Order",', '  "fields": [', '    "id",', '    "amount"', '  ]', '}'].join(
      '\n',
    );
    expect(diffLines(before, after)).toEqual([
      { kind: 'same', text: '{' },
      { kind: 'same', text: '  "name": "Order",' },
      { kind: 'same', text: '  "fields": [' },
      { kind: 'removed', text: '    "id"' },
      { kind: 'added', text: '    "id",' },
      { kind: 'added', text: '    "amount"' },
      { kind: 'same', text: '  ]' },
      { kind: 'same', text: '}' },
    ]);
  });

  it('handles identical and empty texts', () => {
    expect(diffLines('a\nb', 'a\nb').every((line) => line.kind === 'same')).toBe(true);
    expect(diffLines('', 'x')).toEqual([
      { kind: 'removed', text: '' },
      { kind: 'added', text: 'x' },
    ]);
  });
});

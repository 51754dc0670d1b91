// Reserved and non-reserved keywords, as ksqlDB splits them: non-reserved ones are plain names too.
import { describe, expect, it } from 'vitest';
import { NON_RESERVED_KEYWORDS, RESERVED_KEYWORDS } from '../../../src/sql/parser/tokens.js';
import { parseError, parseQueryText } from './helpers.js';

describe('keywords', () => {
  it('are either reserved or not, never both', () => {
    expect([...NON_RESERVED_KEYWORDS].filter((word) => RESERVED_KEYWORDS.has(word))).toEqual([]);
  });

  it('non-reserved ones work as column, source and function names', () => {
    const query = parseQueryText(
      'SELECT key, type, date, `timestamp`, id, session(1) FROM source WHERE value > 0',
    );
    expect(query.select).toHaveLength(6);
    expect(query.from.name.value).toBe('SOURCE');
  });

  it('every reserved one needs quotes to be a name', () => {
    for (const word of RESERVED_KEYWORDS) {
      const error = parseError(`CREATE STREAM s (${word.toLowerCase()} INT) WITH (kafka_topic='t')`);
      expect(error.column, word).toBe(18);
      expect(() => parseQueryText(`SELECT \`${word}\` FROM s`)).not.toThrow();
    }
  });
});

// SELECT: select items, sources and joins, windows, the clauses, push (EMIT) and pull queries.
import { describe, expect, it } from 'vitest';
import { parseQueryText, shape } from './helpers.js';

const id = (value: string) => ({ kind: 'Identifier', value, quoted: false });

describe('select items', () => {
  it('reads *, source.*, struct->*, and aliases with and without AS', () => {
    const query = parseQueryText('SELECT *, s.*, a->*, b AS x, c y, d FROM s');
    expect(shape(query.select, false)).toEqual([
      { kind: 'SelectAll' },
      { kind: 'SelectAll', source: id('S') },
      { kind: 'SelectStructAll', base: { kind: 'ColumnRef', name: id('A') } },
      { kind: 'SelectExpression', expression: { kind: 'ColumnRef', name: id('B') }, alias: id('X') },
      { kind: 'SelectExpression', expression: { kind: 'ColumnRef', name: id('C') }, alias: id('Y') },
      { kind: 'SelectExpression', expression: { kind: 'ColumnRef', name: id('D') } },
    ]);
  });
});

describe('sources and joins', () => {
  it('reads joins of each type, aliases, WITHIN and ON', () => {
    const query = parseQueryText(`SELECT * FROM orders o
      JOIN shipments AS s WITHIN 1 HOUR ON o.id = s.id
      LEFT OUTER JOIN items i WITHIN (10 SECONDS, 2 MINUTES) GRACE PERIOD 1 MINUTE ON o.item = i.id
      RIGHT JOIN r ON o.id = r.id
      FULL JOIN f ON o.id = f.id
      EMIT CHANGES`);
    expect(query.from).toMatchObject({ name: { value: 'ORDERS' }, alias: { value: 'O' } });
    expect(
      shape(
        query.joins.map((join) => [join.type, join.right.alias?.value ?? join.right.name.value, join.within]),
        false,
      ),
    ).toEqual([
      ['INNER', 'S', { before: { value: 1, unit: 'HOURS' }, after: { value: 1, unit: 'HOURS' } }],
      [
        'LEFT',
        'I',
        {
          before: { value: 10, unit: 'SECONDS' },
          after: { value: 2, unit: 'MINUTES' },
          grace: { value: 1, unit: 'MINUTES' },
        },
      ],
      ['RIGHT', 'R', undefined],
      ['FULL', 'F', undefined],
    ]);
    expect(query.joins[0].on).toMatchObject({ kind: 'Comparison', left: { source: { value: 'O' } } });
  });

  it('does not read EMIT or PARTITION after a source as its alias', () => {
    expect(parseQueryText('SELECT * FROM s EMIT CHANGES')).toMatchObject({
      from: { name: { value: 'S' } },
      emit: 'CHANGES',
    });
    expect(parseQueryText('SELECT * FROM s PARTITION BY a')).toMatchObject({
      partitionBy: [{ kind: 'ColumnRef' }],
    });
    expect(parseQueryText('SELECT * FROM s emit_alias')).toMatchObject({
      from: { alias: { value: 'EMIT_ALIAS' } },
    });
  });
});

describe('windows', () => {
  it('reads TUMBLING with retention and grace period', () => {
    const query = parseQueryText(
      'SELECT k, COUNT(*) FROM s WINDOW TUMBLING (SIZE 30 SECONDS, RETENTION 7 DAYS, GRACE PERIOD 1 HOUR) GROUP BY k EMIT FINAL',
    );
    expect(shape(query.window, false)).toEqual({
      kind: 'TumblingWindow',
      size: { value: 30, unit: 'SECONDS' },
      retention: { value: 7, unit: 'DAYS' },
      grace: { value: 1, unit: 'HOURS' },
    });
    expect(query.emit).toBe('FINAL');
  });

  it('reads HOPPING and SESSION, with singular and millisecond units', () => {
    expect(
      shape(
        parseQueryText(
          'SELECT k FROM s WINDOW HOPPING (SIZE 1 MINUTE, ADVANCE BY 500 MILLISECONDS) GROUP BY k',
        ).window,
        false,
      ),
    ).toEqual({
      kind: 'HoppingWindow',
      size: { value: 1, unit: 'MINUTES' },
      advance: { value: 500, unit: 'MILLISECONDS' },
    });
    expect(
      shape(
        parseQueryText('SELECT k FROM s WINDOW SESSION (5 MINUTES, GRACE PERIOD 0 SECONDS) GROUP BY k')
          .window,
        false,
      ),
    ).toEqual({
      kind: 'SessionWindow',
      gap: { value: 5, unit: 'MINUTES' },
      grace: { value: 0, unit: 'SECONDS' },
    });
  });
});

describe('clauses', () => {
  it('reads WHERE, GROUP BY, HAVING, EMIT and LIMIT in order', () => {
    const query = parseQueryText(
      'SELECT k, SUM(v) FROM s WHERE v > 0 GROUP BY k, ABS(v) HAVING SUM(v) > 10 EMIT CHANGES LIMIT 5',
    );
    expect(query).toMatchObject({
      where: { kind: 'Comparison' },
      groupBy: [{ kind: 'ColumnRef' }, { kind: 'FunctionCall' }],
      having: { kind: 'Comparison' },
      emit: 'CHANGES',
      limit: 5,
    });
  });

  it('reads GROUP BY and PARTITION BY lists in parentheses', () => {
    expect(parseQueryText('SELECT * FROM s GROUP BY (a, b)').groupBy).toHaveLength(2);
    expect(parseQueryText('SELECT * FROM s PARTITION BY (a + 1) * 2').partitionBy).toMatchObject([
      { operator: '*' },
    ]);
    expect(parseQueryText('SELECT * FROM s PARTITION BY ()').partitionBy).toEqual([]);
  });

  it('reads a pull query: no EMIT', () => {
    const query = parseQueryText("SELECT * FROM t WHERE id = 'k1';");
    expect(query.emit).toBeUndefined();
    expect(query.limit).toBeUndefined();
  });
});

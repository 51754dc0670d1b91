// The pipeline map's layered layout and the rate sampler: pure functions, no services.
import { describe, expect, it } from 'vitest';
import { isPlumbingTopic, RateSampler } from '../../src/console/api/pipeline.js';
import { layout } from '../../src/console/ui/layout.js';

describe('pipeline layout', () => {
  it('puts each node one column right of its furthest input, stacked in order', () => {
    const ids = ['topic:a', 'topic:b', 'query:q', 'connector:c', 'table:t', 'connector:early'];
    const edges = [
      { from: 'topic:a', to: 'query:q' },
      { from: 'query:q', to: 'topic:b' },
      { from: 'topic:b', to: 'connector:c' },
      { from: 'connector:c', to: 'table:t' },
      { from: 'topic:a', to: 'connector:early' },
    ];
    expect(layout(ids, edges)).toEqual([
      { id: 'topic:a', column: 0, row: 0 },
      { id: 'topic:b', column: 2, row: 0 },
      { id: 'query:q', column: 1, row: 0 },
      { id: 'connector:c', column: 3, row: 0 },
      { id: 'table:t', column: 4, row: 0 },
      { id: 'connector:early', column: 1, row: 1 },
    ]);
  });

  it('ends on a cycle (a query writing the topic it reads)', () => {
    const placed = layout(
      ['topic:a', 'query:q'],
      [
        { from: 'topic:a', to: 'query:q' },
        { from: 'query:q', to: 'topic:a' },
      ],
    );
    expect(placed).toHaveLength(2);
  });
});

describe('rate sampler', () => {
  it('answers null first, then the change per second over at least the gap', () => {
    const sampler = new RateSampler(1000);
    expect(sampler.rate('t', 100n, 0)).toBeNull();
    expect(sampler.rate('t', 150n, 500)).toBeNull();
    expect(sampler.rate('t', 300n, 2000)).toBe(100);
    // Too soon after: the last rate again, and the kept sample stays.
    expect(sampler.rate('t', 400n, 2500)).toBe(100);
    expect(sampler.previous('t')).toBe(300n);
    // A topic deleted and created again starts over.
    expect(sampler.rate('t', 5n, 4000)).toBeNull();
  });

  it('leaves out internal, changelog, repartition and command topics', () => {
    expect(
      [
        'orders',
        '_schemas',
        '__consumer_offsets',
        '_confluent-ksql-default_query_CSAS_X_1-Aggregate-changelog',
        'app-KSTREAM-repartition',
        '_confluent-ksql-default__command_topic',
        'connect-offsets',
      ].filter((name) => !isPlumbingTopic(name)),
    ).toEqual(['orders']);
  });
});

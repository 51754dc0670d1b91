// The assignment every worker derives on its own: the same inputs give the same answer anywhere.
import { describe, expect, it } from 'vitest';
import { assignWork } from '../../../src/connect/worker/assignment.js';

describe('assignWork', () => {
  it('deals connectors, then tasks, round-robin over the workers sorted by id', () => {
    const assignment = assignWork(
      ['w2', 'w1'],
      [
        { name: 'b', taskCount: 1 },
        { name: 'a', taskCount: 2 },
      ],
    );
    expect(assignment.get('w1')).toEqual([
      { connector: 'a', task: null },
      { connector: 'a', task: 0 },
      { connector: 'b', task: 0 },
    ]);
    expect(assignment.get('w2')).toEqual([
      { connector: 'b', task: null },
      { connector: 'a', task: 1 },
    ]);
  });

  it('gives everything to a lone worker, and nothing to anyone without workers', () => {
    expect(assignWork(['only'], [{ name: 'a', taskCount: 2 }]).get('only')).toHaveLength(3);
    expect(assignWork([], [{ name: 'a', taskCount: 2 }]).size).toBe(0);
  });
});

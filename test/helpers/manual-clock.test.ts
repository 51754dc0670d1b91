import { describe, expect, it } from 'vitest';
import { ManualClock } from './manual-clock.js';

describe('ManualClock', () => {
  it('fires timers only when advanced past them, in due order, ties in scheduling order', async () => {
    const clock = new ManualClock(1000);
    const fired: string[] = [];
    clock.schedule(20, () => fired.push(`b@${clock.now()}`));
    clock.schedule(10, () => fired.push(`a@${clock.now()}`));
    clock.schedule(20, () => fired.push(`c@${clock.now()}`));
    await clock.advance(9);
    expect(fired).toEqual([]);
    await clock.advance(11);
    expect(fired).toEqual(['a@1010', 'b@1020', 'c@1020']);
    expect(clock.now()).toBe(1020);
    expect(clock.pendingCount).toBe(0);
  });

  it('fires timers scheduled by a firing timer when they fall within the same advance', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    clock.schedule(10, () => {
      fired.push(clock.now());
      clock.schedule(10, () => fired.push(clock.now()));
      clock.schedule(50, () => fired.push(clock.now()));
    });
    await clock.advance(30);
    expect(fired).toEqual([10, 20]);
    expect(clock.pendingCount).toBe(1);
  });

  it('never fires a cancelled timer, and lets promise chains a timer started finish', async () => {
    const clock = new ManualClock(0);
    const cancel = clock.schedule(5, () => expect.unreachable('cancelled timer fired'));
    cancel();
    let settled = false;
    clock.schedule(5, () => void Promise.resolve().then(() => (settled = true)));
    await clock.advance(5);
    expect(settled).toBe(true);
    await expect(clock.advance(-1)).rejects.toThrow(/cannot go back/);
  });
});

// The order a sub-topology reading a repartition topic besides other inputs takes its records in: the
// order the query met them, each repartitioned record in the place its writer took.
import { describe, expect, it } from 'vitest';
import { ArrivalOrder } from '../../../src/sql/runtime/arrival-order.js';

const at = (offset: number) => ({ topic: 'right', partition: 0, offset: BigInt(offset) });

describe('arrival order', () => {
  it('runs other inputs behind the repartitioned records written before them', () => {
    const order = new ArrivalOrder(7, 1_000, () => 0);
    const ran: string[] = [];
    const first = order.expect();
    order.direct(() => ran.push('direct 1'), at(1));
    const second = order.expect();
    order.direct(() => ran.push('direct 2'), at(2));
    expect(ran).toEqual([]);
    const held = new Map<string, bigint>();
    order.heldFrom(held);
    expect(held.get('right\u00000')).toBe(1n);
    order.arrived([7, second], () => ran.push('repartitioned 2'));
    expect(ran).toEqual([]);
    order.arrived([7, first], () => ran.push('repartitioned 1'));
    expect(ran).toEqual(['repartitioned 1', 'direct 1', 'repartitioned 2', 'direct 2']);
    expect(order.waiting).toBe(false);
  });

  it('runs at once with nothing waiting, and takes records of another run at the end of the line', () => {
    const order = new ArrivalOrder(7, 1_000, () => 0);
    const ran: string[] = [];
    order.direct(() => ran.push('direct'), at(1));
    order.arrived([3, 0], () => ran.push('other run'));
    expect(ran).toEqual(['direct', 'other run']);
    const place = order.expect();
    order.arrived(undefined, () => ran.push('unticketed'));
    order.arrived([7, place], () => ran.push('mine'));
    expect(ran).toEqual(['direct', 'other run', 'mine', 'unticketed']);
  });

  it('gives a place up after the wait, and at a rebalance drops what a lost partition held', () => {
    let now = 0;
    const order = new ArrivalOrder(7, 1_000, () => now);
    const ran: string[] = [];
    order.expect();
    order.direct(() => ran.push('direct'), at(1));
    now = 999;
    order.release();
    expect(ran).toEqual([]);
    now = 1_000;
    order.release();
    expect(ran).toEqual(['direct']);

    order.expect();
    order.direct(() => ran.push('kept'), at(2));
    order.direct(() => ran.push('lost'), { topic: 'right', partition: 1, offset: 5n });
    order.flush((_, partition) => partition === 0);
    expect(ran).toEqual(['direct', 'kept']);
    expect(order.waiting).toBe(false);
  });
});

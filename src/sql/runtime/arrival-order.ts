// Arrival order across a repartition topic. A join side re-keyed through a topic comes back a batch
// after the other side's records, which the join would then see first: a LEFT JOIN would emit its
// unmatched rows before their matches arrived, and the outputs' order would depend on batch boundaries.
// So a sub-topology that reads a repartition topic besides other inputs keeps them in the order the
// query met them: a record written to a partition this member reads takes a ticket, holding a place in
// line; records of the other inputs wait behind the places not yet filled, and each place is filled when
// its record is read back. It comes to the order the records would have had without the topic (ksqlDB's
// test driver processes each input record through every topic before the next), as Kafka Streams'
// timestamp-aligned tasks approximate it. A place is given up after `maxWaitMs` (a lost record, another
// member's partition), or at a rebalance; a record read back without a place (another member wrote it,
// or an earlier run) joins the line at its end.
//
// Records held are not committed past: the query commits each partition below its first held record.
import type { TopicPartition } from '../../client/index.js';
import type { Pipeline } from './pipeline.js';
import type { TicketOffice } from './repartition.js';

/** Where a held record was read from. */
export interface HeldPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

interface Place {
  /** Undefined until its record is read back. */
  run: (() => void) | undefined;
  readonly since: number;
  readonly held?: HeldPosition;
  readonly ticket?: number;
}

const DEFAULT_MAX_WAIT_MS = 2_000;

/** The line of one sub-topology. */
export class ArrivalOrder {
  #line: (Place | undefined)[] = [];
  #head = 0;
  #next = 0;
  readonly #open = new Map<number, Place>();

  constructor(
    readonly run: number,
    private readonly maxWaitMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get waiting(): boolean {
    return this.#head < this.#line.length;
  }

  /** A place for a record written to the repartition topic: its ticket number. */
  expect(): number {
    const ticket = this.#next++;
    const place: Place = { run: undefined, since: this.now(), ticket };
    this.#open.set(ticket, place);
    this.#line.push(place);
    return ticket;
  }

  /** A record of another input: run now, or behind the places still open. */
  direct(run: () => void, held: HeldPosition): void {
    if (!this.waiting) return run();
    this.#line.push({ run, since: 0, held });
    this.release();
  }

  /** A repartition record read back: into its place, or at the end of the line. */
  arrived(ticket: readonly [number, number] | undefined, run: () => void): void {
    const place = ticket !== undefined && ticket[0] === this.run ? this.#open.get(ticket[1]) : undefined;
    if (place !== undefined) {
      this.#open.delete(ticket?.[1] ?? -1);
      place.run = run;
    } else if (!this.waiting) return run();
    else this.#line.push({ run, since: 0 });
    this.release();
  }

  /** Runs what is ready at the head of the line, giving up places open longer than the wait. */
  release(): void {
    let now: number | undefined;
    while (this.#head < this.#line.length) {
      const place = this.#line[this.#head];
      if (place === undefined) {
        this.#head++;
        continue;
      }
      if (place.run === undefined) {
        now ??= this.now();
        if (now - place.since < this.maxWaitMs) break;
        if (place.ticket !== undefined) this.#open.delete(place.ticket);
      }
      this.#line[this.#head++] = undefined;
      place.run?.();
    }
    if (this.#head === this.#line.length) {
      this.#line = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#line.length) {
      this.#line = this.#line.slice(this.#head);
      this.#head = 0;
    }
  }

  /**
   * A rebalance: open places are given up, held records of partitions still assigned run, the others
   * are dropped (committed below them, they are read again by the partition's new owner).
   */
  flush(assigned: (topic: string, partition: number) => boolean): void {
    const line = this.#line.slice(this.#head);
    this.#line = [];
    this.#head = 0;
    this.#open.clear();
    for (const place of line) {
      if (place?.run === undefined) continue;
      if (place.held !== undefined && !assigned(place.held.topic, place.held.partition)) continue;
      place.run();
    }
  }

  /** The first held offset of each partition with records held. */
  heldFrom(into: Map<string, bigint>): void {
    for (let i = this.#head; i < this.#line.length; i++) {
      const held = this.#line[i]?.held;
      if (held === undefined) continue;
      const id = `${held.topic}\0${held.partition}`;
      const known = into.get(id);
      if (known === undefined || held.offset < known) into.set(id, held.offset);
    }
  }
}

/** The arrival orders of a persistent query: one per sub-topology reading a repartition topic with others. */
export class ArrivalOrders {
  readonly run = Math.floor(Math.random() * 0x7fffffff);
  readonly #orders = new Map<number, ArrivalOrder>();
  /** The reading sub-topology of each repartition topic that has an order. */
  #readers = new Map<string, ArrivalOrder>();
  #assigned = new Set<string>();

  constructor(private readonly maxWaitMs = DEFAULT_MAX_WAIT_MS) {}

  /** Works out which sub-topologies keep arrival order, from a build of the query. */
  configure(pipeline: Pipeline, repartitionTopics: readonly string[]): void {
    const inputs = new Map<number, number>();
    const count = (subTopology: number) => inputs.set(subTopology, (inputs.get(subTopology) ?? 0) + 1);
    for (const input of pipeline.inputs) count(input.subTopology);
    for (const repartition of pipeline.repartitions) count(repartition.subTopology);
    const readers = new Map<string, ArrivalOrder>();
    for (const repartition of pipeline.repartitions) {
      const topic = repartitionTopics[repartition.index];
      if (topic === undefined || (inputs.get(repartition.subTopology) ?? 0) < 2) continue;
      const order = this.#orders.get(repartition.subTopology) ?? new ArrivalOrder(this.run, this.maxWaitMs);
      this.#orders.set(repartition.subTopology, order);
      readers.set(topic, order);
    }
    this.#readers = readers;
  }

  /** The order a sub-topology's records go through, if it keeps one. */
  of(subTopology: number): ArrivalOrder | undefined {
    return this.#orders.get(subTopology);
  }

  /** The ticket office of a repartition topic's writer. */
  office(topic: string): TicketOffice {
    return {
      run: this.run,
      take: (partition) => {
        const order = this.#readers.get(topic);
        if (order === undefined || !this.#assigned.has(`${topic}\0${partition}`)) return undefined;
        return order.expect();
      },
    };
  }

  /** The member's partitions changed: places given up, held records of lost partitions dropped. */
  reassigned(assignment: readonly TopicPartition[]): void {
    this.#assigned = new Set(assignment.map((tp) => `${tp.topic}\0${tp.partition}`));
    const assigned = (topic: string, partition: number) => this.#assigned.has(`${topic}\0${partition}`);
    for (const order of this.#orders.values()) order.flush(assigned);
  }

  /** Gives up places open too long; whether anything ran. */
  release(): boolean {
    let ran = false;
    for (const order of this.#orders.values()) {
      const before = order.waiting;
      order.release();
      if (before) ran = true;
    }
    return ran;
  }

  /** The first held offset of each partition with records held (`topic\0partition` to offset). */
  heldFrom(): Map<string, bigint> {
    const held = new Map<string, bigint>();
    for (const order of this.#orders.values()) order.heldFrom(held);
    return held;
  }
}

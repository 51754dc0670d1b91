// Every record the durability test sends, and the offset each acknowledged one was given by the broker.

export interface SentRecord {
  /** Unique across the whole run: `<stream>#<seq>`. */
  value: string;
  stream: string;
  seq: number;
  partition: number;
}

export interface AckedRecord extends SentRecord {
  offset: number;
}

export class Ledger {
  private readonly sentByValue = new Map<string, SentRecord>();
  private readonly ackedByValue = new Map<string, AckedRecord>();
  /** Acknowledged records in the order the acknowledgements arrived. */
  private readonly ackOrder: AckedRecord[] = [];

  /** Registers a record about to be sent and returns its value. */
  send(stream: string, seq: number, partition: number): string {
    const value = `${stream}#${seq}`;
    if (this.sentByValue.has(value)) throw new Error(`record ${value} registered twice`);
    this.sentByValue.set(value, { value, stream, seq, partition });
    return value;
  }

  /** The broker acknowledged `value` at `offset`. A second, different offset for one record is a bug. */
  acknowledge(value: string, offset: number): void {
    const sent = this.sentByValue.get(value);
    if (!sent) throw new Error(`acknowledgement for ${value}, which was never sent`);
    const previous = this.ackedByValue.get(value);
    if (previous && previous.offset !== offset) {
      throw new Error(`${value} acknowledged at offset ${previous.offset} and again at ${offset}`);
    }
    if (previous) return;
    const acked = { ...sent, offset };
    this.ackedByValue.set(value, acked);
    this.ackOrder.push(acked);
  }

  /** A point in the acknowledgement order, for `ackedSince`. */
  ackMark(): number {
    return this.ackOrder.length;
  }

  /** Records first acknowledged after `mark`. */
  ackedSince(mark: number): AckedRecord[] {
    return this.ackOrder.slice(mark);
  }

  sentRecord(value: string): SentRecord | undefined {
    return this.sentByValue.get(value);
  }

  get sentCount(): number {
    return this.sentByValue.size;
  }

  get ackedCount(): number {
    return this.ackedByValue.size;
  }

  /** A copy of the acknowledged records, taken before consuming so every one of them must be found. */
  ackedSnapshot(): AckedRecord[] {
    return [...this.ackedByValue.values()];
  }

  ackedCountOf(streamPrefix: string): number {
    let count = 0;
    for (const record of this.ackedByValue.values()) if (record.stream.startsWith(streamPrefix)) count++;
    return count;
  }

  /** Records sent by `stream` that never got an acknowledgement. */
  unacknowledged(stream: string): SentRecord[] {
    return [...this.sentByValue.values()].filter(
      (record) => record.stream === stream && !this.ackedByValue.has(record.value),
    );
  }
}

// An idempotent librdkafka producer (kcat -P, acks=all) per partition, fed records on stdin while the
// broker is killed and restarted under it. librdkafka keeps its producer id and re-sends unacknowledged
// batches with their original sequence numbers, and it reports deliveries of one partition in send order,
// so the n-th delivery report is the n-th line written.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Ledger } from './ledger.js';
import type { SeededRandom } from './seeded-random.js';

export const KCAT = process.env.KCAT ?? 'kcat';
const WRITE_INTERVAL_MS = 10;
const DELIVERED = /Message delivered to partition (\d+) \(offset (-?\d+)\)/;
const DELIVERY_FAILED = /Delivery failed/;
const ERROR = /ERROR/;

export function kcatStreamName(partition: number): string {
  return `kcat-p${partition}`;
}

export class KcatStream {
  readonly name: string;
  /** Delivery failures kcat printed, and anything inconsistent in its reports. */
  readonly failures: string[] = [];
  /** Error lines (a killed broker shows up as transport errors; those are expected). */
  readonly errors: string[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly written: string[] = [];
  private reports = 0;
  private pending = '';
  private output = '';
  private timer: NodeJS.Timeout | null = null;
  private nextSeq = 0;
  readonly exited: Promise<number | null>;

  constructor(
    bootstrap: string,
    topic: string,
    private readonly partition: number,
    private readonly ledger: Ledger,
    private readonly random: SeededRandom,
  ) {
    this.name = kcatStreamName(partition);
    this.child = spawn(
      KCAT,
      [
        '-P',
        '-b',
        bootstrap,
        '-t',
        topic,
        '-p',
        String(partition),
        '-X',
        'enable.idempotence=true',
        '-X',
        'acks=all',
        // Never give up on a message while the broker restarts: a timed-out message is "maybe written".
        '-X',
        'message.timeout.ms=120000',
        '-X',
        'reconnect.backoff.ms=50',
        '-X',
        'reconnect.backoff.max.ms=250',
        '-X',
        'linger.ms=2',
        // Small batches: kcat hands over its input in bursts, and these keep several requests in flight
        // (up to 5 with idempotence), so a kill usually catches some written but not yet acknowledged.
        '-X',
        'batch.num.messages=10',
        // A broker that is down is a non-fatal error: keep going instead of exiting.
        '-E',
        // Verbosity 3: one delivery report line per message.
        '-v',
        '-v',
        '-v',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.stdout.on('data', (chunk: Buffer) => this.onOutput(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => this.onOutput(chunk));
    this.child.stdin.on('error', () => undefined);
  }

  /** Writes a few records every few milliseconds until `stop`. */
  start(): void {
    this.timer = setInterval(() => {
      const count = this.random.between(1, 5);
      const lines: string[] = [];
      for (let i = 0; i < count; i++) {
        const value = this.ledger.send(this.name, this.nextSeq++, this.partition);
        this.written.push(value);
        lines.push(value + '\n');
      }
      this.child.stdin.write(lines.join(''));
    }, WRITE_INTERVAL_MS);
  }

  /** Stops writing, closes stdin so kcat flushes what it holds, and waits for it to exit. */
  async stop(timeoutMs: number): Promise<number | null> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.child.stdin.end();
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs));
    const result = await Promise.race([this.exited, timeout]);
    if (result === 'timeout') {
      this.child.kill('SIGKILL');
      throw new Error(`${this.name} did not flush within ${timeoutMs} ms:\n${this.tail()}`);
    }
    return result;
  }

  get writtenCount(): number {
    return this.written.length;
  }

  get deliveredCount(): number {
    return this.reports - this.failures.length;
  }

  get isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines kcat printed, for failure messages. */
  tail(): string {
    return this.output.split('\n').slice(-20).join('\n');
  }

  private acknowledge(value: string, offset: number, line: string): void {
    try {
      this.ledger.acknowledge(value, offset);
    } catch (error) {
      this.failures.push(`${error instanceof Error ? error.message : String(error)}: ${line}`);
    }
  }

  private onOutput(chunk: Buffer): void {
    const text = this.pending + chunk.toString();
    const lines = text.split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) {
      this.output += line + '\n';
      if (this.output.length > 200_000) this.output = this.output.slice(-100_000);
      const delivered = DELIVERED.exec(line);
      if (delivered) {
        const value = this.written[this.reports++];
        if (value === undefined) this.failures.push(`more delivery reports than records written: ${line}`);
        else if (Number(delivered[1]) !== this.partition) this.failures.push(`wrong partition: ${line}`);
        else this.acknowledge(value, Number(delivered[2]), line);
      } else if (DELIVERY_FAILED.test(line)) {
        // A failed delivery also takes its place in the report order.
        this.reports++;
        this.failures.push(line);
      } else if (ERROR.test(line)) {
        this.errors.push(line);
      }
    }
  }
}

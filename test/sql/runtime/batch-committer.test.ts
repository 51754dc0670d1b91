// At least once without waiting: a batch's offsets are committed only after its outputs and those of
// every batch before are acknowledged, in batch order, and a failed produce stops every later commit.
import { describe, expect, it } from 'vitest';
import {
  KafkaClientError,
  type BatchingProducer,
  type GroupConsumer,
  type ProduceRecord,
  type TopicPartitionOffset,
} from '../../../src/client/index.js';
import { AtLeastOnceCommitter } from '../../../src/sql/runtime/batch-committer.js';

interface Send {
  readonly records: readonly ProduceRecord[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

function fakes(commitError?: () => unknown) {
  const sends: Send[] = [];
  const commits: TopicPartitionOffset[][] = [];
  const producer = {
    sendMany: (records: readonly ProduceRecord[]) =>
      new Promise<void>((resolve, reject) => sends.push({ records, resolve, reject })),
    close: () => Promise.resolve(),
  } as unknown as BatchingProducer;
  const consumer = {
    commit: (offsets: readonly TopicPartitionOffset[]) => {
      commits.push([...offsets]);
      const error = commitError?.();
      return error === undefined ? Promise.resolve() : Promise.reject(error);
    },
  } as unknown as GroupConsumer;
  return { sends, commits, committer: new AtLeastOnceCommitter(producer, consumer) };
}

const record = (value: string): ProduceRecord => ({ topic: 'out', value: Buffer.from(value) });
const offset = (value: number): TopicPartitionOffset => ({
  topic: 'in',
  partition: 0,
  offset: BigInt(value),
});
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('AtLeastOnceCommitter', () => {
  it('goes on before the outputs are acknowledged, and commits in batch order once they are', async () => {
    const { sends, commits, committer } = fakes();
    await committer.commit([record('a')], [offset(1)]);
    await committer.commit([record('b')], [offset(2)]);
    expect(sends).toHaveLength(2);
    // The second batch's outputs are acknowledged first: nothing may be committed past the first yet.
    sends[1]!.resolve();
    await settle();
    expect(commits).toEqual([]);
    sends[0]!.resolve();
    await committer.drain();
    // Both acknowledged by the time the first could commit: one commit of the latest offsets.
    expect(commits.at(-1)).toEqual([offset(2)]);
  });

  it('commits nothing after a failed produce and throws at the next batch', async () => {
    const { sends, commits, committer } = fakes();
    await committer.commit([record('a')], [offset(1)]);
    await committer.commit([record('b')], [offset(2)]);
    sends[0]!.reject(new Error('refused'));
    sends[1]!.resolve();
    await expect(committer.drain()).rejects.toThrow('refused');
    expect(commits).toEqual([]);
    await expect(committer.commit([record('c')], [offset(3)])).rejects.toThrow('refused');
  });

  it('takes a commit refused by a rebalance as no failure: the next owner reads from the last commit', async () => {
    let refuse = true;
    const { sends, commits, committer } = fakes(() =>
      refuse ? new KafkaClientError('refused', 'rebalancing', 'REBALANCE_IN_PROGRESS') : undefined,
    );
    await committer.commit([record('a')], [offset(1)]);
    sends[0]!.resolve();
    await committer.drain();
    refuse = false;
    await committer.commit([record('b')], [offset(2)]);
    sends[1]!.resolve();
    await committer.drain();
    expect(commits).toEqual([[offset(1)], [offset(2)]]);
  });
});

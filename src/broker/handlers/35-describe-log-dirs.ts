// DescribeLogDirs (key 35), v0-4 (KIP-113): the size on disk of each partition in the broker's one log
// directory. v1 changed nothing in the answer, v2 is flexible, v3 added the top-level error code and v4
// (KIP-827) the directory's total and usable bytes. A null topic list asks for every partition; a topic
// or partition that does not exist is left out, as Kafka does.
import fs from 'node:fs';
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import type { DescribableLogDirTopic } from '../../protocol/generated/describe-log-dirs-request.js';
import {
  defaultDescribeLogDirsResponse,
  type DescribeLogDirsTopic,
} from '../../protocol/generated/describe-log-dirs-response.js';
import type { LogManager } from '../log/log-manager.js';
import { defineHandler } from './handler.js';

/** Kafka answers -1 when the directory's capacity cannot be read. */
const UNKNOWN_BYTES = -1n;

function describedTopics(logs: LogManager, wanted: DescribableLogDirTopic[] | null): DescribeLogDirsTopic[] {
  const asked =
    wanted ??
    logs.topics().map((topic) => ({
      topic: topic.name,
      partitions: topic.partitions.map((_, index) => index),
    }));
  return asked.flatMap(({ topic, partitions }) => {
    const found = logs.topic(topic);
    if (!found) return [];
    const described = partitions.flatMap((partitionIndex) => {
      const log = found.partitions[partitionIndex];
      if (!log) return [];
      // One replica on one broker: nothing is ever behind, and no future (moving) replica exists.
      return [{ partitionIndex, partitionSize: BigInt(log.size), offsetLag: 0n, isFutureKey: false }];
    });
    return described.length === 0 ? [] : [{ name: topic, partitions: described }];
  });
}

function capacity(dir: string): { totalBytes: bigint; usableBytes: bigint } {
  try {
    const stats = fs.statfsSync(dir, { bigint: true });
    return { totalBytes: stats.blocks * stats.bsize, usableBytes: stats.bavail * stats.bsize };
  } catch {
    return { totalBytes: UNKNOWN_BYTES, usableBytes: UNKNOWN_BYTES };
  }
}

export const describeLogDirsHandler = defineHandler({
  apiKey: ApiKey.DescribeLogDirs,
  minVersion: 0,
  maxVersion: 4,
  handle(request, { broker }) {
    const response = defaultDescribeLogDirsResponse();
    response.errorCode = ErrorCode.NONE;
    response.results = [
      {
        errorCode: ErrorCode.NONE,
        logDir: broker.logs.dataDir,
        topics: describedTopics(broker.logs, request.topics),
        ...capacity(broker.logs.dataDir),
      },
    ];
    return response;
  },
});

// Tallies of a fuzz run and the summary printed at its end.
import fs from 'node:fs';
import path from 'node:path';
import { ApiKey } from '../../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import { Reader } from '../../../src/protocol/primitives.js';
import { readResponseHeader } from '../../../src/protocol/generated/response-header.js';
import { responseHeaderVersion } from '../../../src/protocol/api-headers.js';
import { readProduceResponse } from '../../../src/protocol/generated/produce-response.js';
import type { ConnectionKind, ConnectionPlan } from './plan.js';
import type { BatchMutation } from './batch-mutations.js';
import type { ConversationResult } from './wire-client.js';

export interface KindStats {
  connections: number;
  framesSent: number;
  responses: number;
  closedByBroker: number;
  labels: Map<string, number>;
}

export interface BatchOutcome {
  accepted: number;
  refused: Map<number, number>;
}

export function emptyStats(): KindStats {
  return { connections: 0, framesSent: 0, responses: 0, closedByBroker: 0, labels: new Map() };
}

/** Produce answers of a record-batch connection, tallied by the batch mutation each request carried. */
export function tallyBatchOutcomes(
  plan: ConnectionPlan,
  result: ConversationResult,
  outcomes: Map<BatchMutation, BatchOutcome>,
): void {
  for (const frame of result.responses) {
    const correlationId = frame.readInt32BE(0);
    const mutation = plan.batchMutations.get(correlationId);
    if (!mutation) continue;
    const version = plan.frames[correlationId - 1].readInt16BE(6);
    const reader = new Reader(frame);
    readResponseHeader(reader, responseHeaderVersion(ApiKey.Produce, version));
    const partition = readProduceResponse(reader, version).responses[0]?.partitionResponses[0];
    if (!partition) continue;
    const outcome = outcomes.get(mutation) ?? { accepted: 0, refused: new Map<number, number>() };
    if (partition.errorCode === ErrorCode.NONE) outcome.accepted++;
    else outcome.refused.set(partition.errorCode, (outcome.refused.get(partition.errorCode) ?? 0) + 1);
    outcomes.set(mutation, outcome);
  }
}

/** The message and error of a JSON log line, without the stack. */
export function shortLogLine(line: string): string {
  try {
    const entry = JSON.parse(line) as { msg?: string; err?: { message?: string; stack?: string } };
    const frames = entry.err?.stack?.split('\n').slice(1) ?? [];
    const where = (frames.find((frame) => frame.includes('/broker/')) ?? frames[0] ?? '').trim();
    return `${entry.msg}: ${entry.err?.message?.slice(0, 300)} (${where})`;
  } catch {
    return line.slice(0, 400);
  }
}

export function dirSize(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += fs.statSync(path.join(entry.parentPath, entry.name)).blocks * 512;
  }
  return { bytes, files };
}

export function report(summary: {
  stats: Map<ConnectionKind, KindStats>;
  batchOutcomes: Map<BatchMutation, BatchOutcome>;
  fuzzSeconds: number;
  healthChecks: number;
  slowestCheckMs: number;
  closeDelays: number[];
  topicCount: { topics: number; partitions: number };
  disk: { bytes: number; files: number };
  handlerFailures: string[];
}): void {
  const delays = [...summary.closeDelays].sort((a, b) => a - b);
  const lines = [
    `broker fuzz: ${summary.fuzzSeconds.toFixed(1)} s, ${summary.healthChecks} health checks ` +
      `(slowest ${summary.slowestCheckMs} ms)`,
    `  garbage connections closed by the broker after ${delays[Math.floor(delays.length / 2)] ?? '-'} ms ` +
      `(median), ${delays[Math.floor(delays.length * 0.99)] ?? '-'} ms (p99), ${delays.at(-1) ?? '-'} ms (max)`,
  ];
  for (const [kind, s] of summary.stats) {
    lines.push(
      `  ${kind}: ${s.connections} connections, ${s.framesSent} frames sent, ${s.responses} responses kept, ` +
        `${s.closedByBroker} closed by the broker`,
    );
    const labels = [...s.labels].sort((a, b) => b[1] - a[1]).map(([label, n]) => `${label}=${n}`);
    lines.push(`    ${labels.join(' ')}`);
  }
  lines.push('  record batches (accepted / refused by error code):');
  for (const [mutation, outcome] of [...summary.batchOutcomes].sort()) {
    const refused = [...outcome.refused].map(([code, n]) => `${code}:${n}`).join(' ');
    lines.push(`    ${mutation}: ${outcome.accepted} / ${refused}`);
  }
  lines.push(
    `  topics: ${summary.topicCount.topics} (${summary.topicCount.partitions} partitions), data dir: ${(summary.disk.bytes / 1024 / 1024).toFixed(1)} MiB in ${summary.disk.files} files`,
  );
  lines.push(`  handler failures logged: ${summary.handlerFailures.length}`);
  for (const line of summary.handlerFailures.slice(0, 10)) lines.push(`    ${line.slice(0, 400)}`);
  console.log(lines.join('\n'));
}

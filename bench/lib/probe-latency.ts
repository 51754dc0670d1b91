// The latency figures of a run of probes: each probe's time from sent to seen, as percentiles, and the
// medians of the run's first and last thirds (a rising pair means the pipeline fell behind).

/** Nearest-rank percentile of an ascending array; `fraction` in (0, 1]. */
export function percentile(sorted: readonly number[], fraction: number): number {
  return sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

export interface ProbeLatency {
  probes: number;
  seen: number;
  p50: number;
  p99: number;
  max: number;
  firstThirdP50: number;
  lastThirdP50: number;
}

/** `sentAt` and `seenAt` give each probe's send and arrival time in ms; `sentAt` is in send order. */
export function probeLatency<K>(
  sentAt: ReadonlyMap<K, number>,
  seenAt: ReadonlyMap<K, number>,
): ProbeLatency {
  const inSendOrder = [...sentAt.keys()]
    .filter((id) => seenAt.has(id))
    .map((id) => seenAt.get(id)! - sentAt.get(id)!);
  const third = Math.max(1, Math.floor(inSendOrder.length / 3));
  const median = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      0.5,
    );
  const sorted = [...inSendOrder].sort((a, b) => a - b);
  return {
    probes: sentAt.size,
    seen: seenAt.size,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? NaN,
    firstThirdP50: median(inSendOrder.slice(0, third)),
    lastThirdP50: median(inSendOrder.slice(-third)),
  };
}

// Summarises a V8 .cpuprofile (from `node --cpu-prof`) by self time per function: where the samples
// landed, not who called. Run alone: `node bench/lib/cpuprofile-summary.mjs FILE.cpuprofile [TOP]`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function functionLabel({ functionName, url, lineNumber }) {
  const name = functionName || '(anonymous)';
  if (!url) return name;
  // Paths inside the repository are shortest from its root; node internals keep their node: URL.
  const file = url.startsWith('file://') ? path.relative(REPO_ROOT, fileURLToPath(url)) : url;
  return `${name} ${file}:${lineNumber + 1}`;
}

/**
 * Self time per function, largest first. Samples are weighted by their time deltas, so a profile with
 * uneven sampling still adds up to its wall time. `(idle)` is time the process waited for I/O.
 */
export function summarizeProfile(profile) {
  const nodesById = new Map(profile.nodes.map((node) => [node.id, node]));
  const microsByLabel = new Map();
  let totalMicros = 0;
  profile.samples.forEach((nodeId, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    const label = functionLabel(nodesById.get(nodeId).callFrame);
    microsByLabel.set(label, (microsByLabel.get(label) ?? 0) + micros);
    totalMicros += micros;
  });
  const idleMicros = [...microsByLabel]
    .filter(([label]) => label === '(idle)')
    .reduce((s, [, m]) => s + m, 0);
  const rows = [...microsByLabel]
    .map(([label, micros]) => ({
      label,
      ms: micros / 1000,
      percentOfAll: (100 * micros) / totalMicros,
      percentOfBusy: label === '(idle)' ? NaN : (100 * micros) / (totalMicros - idleMicros),
    }))
    .sort((a, b) => b.ms - a.ms);
  return { totalMs: totalMicros / 1000, idleMs: idleMicros / 1000, rows };
}

export function formatProfileSummary({ totalMs, idleMs, rows }, top = 25) {
  const lines = [
    `Profile: ${(totalMs / 1000).toFixed(2)} s sampled, ${(idleMs / 1000).toFixed(2)} s idle; self time per function:`,
    '',
    '| self ms | % of busy | function |',
    '| ------: | --------: | -------- |',
  ];
  for (const row of rows.filter((r) => r.label !== '(idle)').slice(0, top)) {
    lines.push(
      `| ${row.ms.toFixed(0)} | ${row.percentOfBusy.toFixed(1)}% | ${row.label.replaceAll('|', '\\|')} |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/lib/cpuprofile-summary.mjs FILE.cpuprofile [TOP]');
    process.exit(2);
  }
  const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')));
  console.log(formatProfileSummary(summary, Number(top) || 25));
}

// Startup benchmark: time from `venice up` to every component ready, and the resident memory of all
// Venice processes (supervisor + components) once ready. Each run uses a fresh project directory and
// free ports. Run with `npm run bench:startup` (builds first); RUNS=n sets the number of runs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const CLI = path.resolve('bin/venice.js');
const RUNS = Number(process.env.RUNS ?? 5);
const TARGET_MS = 2000;
const TARGET_MB = 500;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function venice(args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`venice ${args[0]}: ${output}`)),
    );
  });
}

function residentMiB(pid) {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

/**
 * Resident pages private to the process, and those it shares (with other processes of the same node
 * executable above all: ~43 MiB in each Venice process, which a sum of RSS counts once per process).
 */
function sharingMiB(pid) {
  const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(rollup)?.[1] ?? 0) / 1024;
  return {
    privateMiB: field('Private_Clean') + field('Private_Dirty'),
    sharedMiB: field('Shared_Clean') + field('Shared_Dirty'),
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function oneRun(index) {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-bench-startup-'));
  // Every port free, so that runs never clash with a Venice (or a test) already running on this machine.
  const portFlags = ['kafka', 'broker-health', 'registry', 'sql', 'postgres', 'connect'];
  const ports = new Set();
  while (ports.size < portFlags.length) ports.add(await freePort());
  const portArgs = [...ports].flatMap((port, index) => [`--${portFlags[index]}-port`, String(port)]);
  const startedAtMs = Date.now();
  const started = performance.now();
  try {
    await venice(['up', ...portArgs], project);
    const upMs = performance.now() - started;
    const state = JSON.parse(fs.readFileSync(path.join(project, '.venice/run/state.json'), 'utf8'));
    const processes = [
      { name: 'supervisor', pid: state.pid },
      ...state.components.map((component) => ({ name: component.name, pid: component.pid })),
    ];
    const memory = Object.fromEntries(processes.map(({ name, pid }) => [name, residentMiB(pid)]));
    const totalMiB = Object.values(memory).reduce((total, value) => total + value, 0);
    // Distinct resident memory: every process's private pages, and the shared ones once (the largest share).
    const sharing = processes.map(({ pid }) => sharingMiB(pid));
    const distinctMiB =
      sharing.reduce((total, { privateMiB }) => total + privateMiB, 0) +
      Math.max(...sharing.map(({ sharedMiB }) => sharedMiB));
    // The part spent inside the supervisor: from its start to the last component's health check passing.
    const readyAt = Math.max(...state.components.map((component) => Date.parse(component.readyAt)));
    const supervisedMs = readyAt - Date.parse(state.startedAt);
    // Where the time goes: `venice up` until the supervisor runs, then per component spawn to ready.
    const beforeSupervisorMs = Date.parse(state.startedAt) - startedAtMs;
    const componentMs = Object.fromEntries(
      state.components.map((component) => [
        component.name,
        {
          spawnedAfter: Date.parse(component.startedAt) - Date.parse(state.startedAt),
          readyAfterSpawn: Date.parse(component.readyAt) - Date.parse(component.startedAt),
        },
      ]),
    );
    console.log(
      `run ${index + 1}: up ${upMs.toFixed(0)} ms (before the supervisor runs ${beforeSupervisorMs} ms; ` +
        `supervisor start to ready ${supervisedMs} ms; ${Object.entries(componentMs)
          .map(
            ([name, times]) =>
              `${name} spawned at +${times.spawnedAfter} ms, ready ${times.readyAfterSpawn} ms later`,
          )
          .join('; ')}), ` +
        `RSS ${totalMiB.toFixed(0)} MiB (${Object.entries(memory)
          .map(([name, value]) => `${name} ${value.toFixed(0)}`)
          .join(', ')}), distinct ${distinctMiB.toFixed(0)} MiB`,
    );
    return { upMs, supervisedMs, beforeSupervisorMs, componentMs, totalMiB, distinctMiB, memory };
  } finally {
    await venice(['down', '--purge', '--yes'], project).catch((error) => console.error(error.message));
    fs.rmSync(project, { recursive: true, force: true });
  }
}

const cpuModel = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
const machine = `${os.availableParallelism()} × ${cpuModel}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
const loadBefore = os.loadavg()[0];
console.log(`venice startup benchmark: ${RUNS} runs; ${machine}; load average ${loadBefore.toFixed(2)}`);

const runs = [];
for (let index = 0; index < RUNS; index++) runs.push(await oneRun(index));

const upMs = median(runs.map((run) => run.upMs));
const supervisedMs = median(runs.map((run) => run.supervisedMs));
const totalMiB = median(runs.map((run) => run.totalMiB));
const components = Object.keys(runs[0].memory);
const perProcess = components.map(
  (name) => `${name} ${median(runs.map((run) => run.memory[name])).toFixed(0)} MiB`,
);
const loadAfter = os.loadavg()[0];

console.log(`\nmedian of ${RUNS}:`);
console.log(
  `  venice up until every component is ready: ${upMs.toFixed(0)} ms (target ≤ ${TARGET_MS} ms: ${upMs <= TARGET_MS ? 'met' : 'missed'})`,
);
console.log(
  `  of which before the supervisor runs:      ${median(runs.map((run) => run.beforeSupervisorMs)).toFixed(0)} ms (venice up's own start and checks, the supervisor's Node start and imports)`,
);
console.log(`  of which supervisor start to ready:        ${supervisedMs.toFixed(0)} ms`);
for (const name of Object.keys(runs[0].componentMs)) {
  const spawned = median(runs.map((run) => run.componentMs[name].spawnedAfter));
  const ready = median(runs.map((run) => run.componentMs[name].readyAfterSpawn));
  console.log(
    `    ${name.padEnd(10)} spawned at +${spawned.toFixed(0)} ms, ready ${ready.toFixed(0)} ms after its spawn`,
  );
}
console.log(
  `  resident memory, all Venice processes:     ${totalMiB.toFixed(0)} MiB (target ≤ ${TARGET_MB} MB: ${totalMiB * 1.048576 <= TARGET_MB ? 'met' : 'missed'}): ${perProcess.join(', ')}`,
);
console.log(
  `  distinct resident memory, all of them:     ${median(runs.map((run) => run.distinctMiB)).toFixed(0)} MiB (private pages, and the shared ones, the node executable above all, once)`,
);
console.log(
  `  min / max up: ${Math.min(...runs.map((run) => run.upMs)).toFixed(0)} / ${Math.max(...runs.map((run) => run.upMs)).toFixed(0)} ms`,
);
console.log(`  load average (1 min) before / after: ${loadBefore.toFixed(2)} / ${loadAfter.toFixed(2)}`);
console.log(
  `  components: ${components.filter((name) => name !== 'supervisor').join(', ')}; ${new Date().toISOString()}`,
);

// Child-process helpers: run a command to completion, and read CPU time from /proc.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';

const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

// Fields of /proc/<pid>/stat after the "(comm)" field, which may itself contain spaces.
function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU seconds used so far by a running process. */
export function processCpuSeconds(pid) {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/**
 * CPU seconds of this process's children that have exited and been reaped. The difference across a
 * short-lived child's run is that child's exact CPU use, which cannot be read from /proc once it exits.
 */
export function reapedChildrenCpuSeconds() {
  const fields = statFields('self');
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND;
}

/** CPU seconds the whole machine has spent busy (all CPUs, everything but idle and I/O wait). */
function machineBusyCpuSeconds() {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Starts measuring CPU use; the returned function gives, as % of one CPU over the interval, the broker's
 * use, that of children reaped meanwhile (kcat), this process's own, and everything else on the machine
 * (other people's work, which makes the figures noisier).
 */
export function startCpuMeter(brokerPid) {
  const readings = () => ({
    broker: brokerPid ? processCpuSeconds(brokerPid) : 0,
    children: reapedChildrenCpuSeconds(),
    self: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    machine: machineBusyCpuSeconds(),
  });
  const before = readings();
  return (seconds) => {
    const after = readings();
    const percent = (key) => (100 * (after[key] - before[key])) / seconds;
    const other = percent('machine') - percent('broker') - percent('children') - percent('self');
    return {
      broker: percent('broker'),
      kcat: percent('children'),
      self: percent('self'),
      other: Math.max(0, other),
    };
  };
}

/**
 * Runs a command to completion. `onStdout` receives stdout chunks (stdout goes to /dev/null without it);
 * stderr is collected. Resolves with the exit code, wall time to exit and stderr; a non-zero exit is not
 * an error here, callers judge it.
 */
export function run(command, args, { onStdout, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', onStdout ? 'pipe' : 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text) => (stderr += text));
    if (onStdout) child.stdout.on('data', onStdout);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let seconds = 0;
    child.on('error', reject);
    child.on('exit', () => (seconds = (performance.now() - started) / 1000));
    // 'close' comes after the output pipes are drained, so every stdout chunk has been seen.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, seconds });
    });
  });
}

// Reads the components' log files (pino JSON lines, plus anything else a process printed) and renders
// them for people: time, level, component, message. Used by `venice logs`.
import fs from 'node:fs';
import path from 'node:path';
import { logGenerations, rotatingCopyOf } from './log-rotation.js';
import { fileSize, readRange } from './log-tail.js';

export interface LogEntry {
  /** Epoch ms; a line without its own time (a stack trace) gets the time of the line before it. */
  time: number | null;
  component: string;
  level: string;
  message: string;
}

const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** Fields every pino line has, not worth repeating on each rendered line. */
const ROUTINE_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'v']);

/** The components that have a log file (live or rotated: name.log, name.log.1, ...) in `logsDir`, sorted. */
export function logComponents(logsDir: string): string[] {
  try {
    const names = fs
      .readdirSync(logsDir)
      .map((file) => /^(.+)\.log(\.\d+)?$/.exec(file)?.[1])
      .filter((name): name is string => name !== undefined);
    return [...new Set(names)].sort();
  } catch {
    return [];
  }
}

export function parseLogLine(line: string, component: string, previousTime: number | null): LogEntry {
  if (line.startsWith('{')) {
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      if (typeof record.level === 'number' || typeof record.time === 'number') {
        return {
          time: typeof record.time === 'number' ? record.time : previousTime,
          component,
          level: LEVEL_NAMES[record.level as number] ?? String(record.level ?? '-').toUpperCase(),
          message: renderMessage(record),
        };
      }
    } catch {
      // not JSON after all: shown as it is
    }
  }
  return { time: previousTime, component, level: '', message: line };
}

function renderMessage(record: Record<string, unknown>): string {
  const details = Object.entries(record)
    .filter(([key]) => !ROUTINE_FIELDS.has(key) && key !== 'err')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  let message = [typeof record.msg === 'string' ? record.msg : '', ...details].filter(Boolean).join(' ');
  const error = record.err as { message?: unknown; stack?: unknown } | string | undefined;
  if (typeof error === 'string') message += ` error=${error}`;
  else if (error && typeof error.stack === 'string') message += `\n${error.stack}`;
  else if (error && typeof error.message === 'string') message += ` error=${error.message}`;
  return message;
}

/** Every entry of one component's log from `sinceMs` on: its rotated files, oldest first, then the live one. */
export function readLogFile(file: string, component: string, sinceMs: number | null): LogEntry[] {
  const entries: LogEntry[] = [];
  let time: number | null = null;
  for (const generation of logGenerations(file)) {
    let text: string;
    try {
      text = fs.readFileSync(generation, 'utf8');
    } catch {
      continue; // rotated away meanwhile
    }
    const parsed = parseLines(text, component, time);
    if (parsed.length > 0) time = parsed[parsed.length - 1].time;
    entries.push(...parsed);
  }
  return entries.filter((entry) => keep(entry, sinceMs));
}

function parseLines(text: string, component: string, startTime: number | null): LogEntry[] {
  const entries: LogEntry[] = [];
  let time = startTime;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const entry = parseLogLine(line, component, time);
    time = entry.time;
    entries.push(entry);
  }
  return entries;
}

function keep(entry: LogEntry, sinceMs: number | null): boolean {
  return sinceMs === null || (entry.time !== null && entry.time >= sinceMs);
}

/** Entries of several components merged by time (stable, so each file keeps its own order). */
export function mergeByTime(logs: readonly LogEntry[][]): LogEntry[] {
  const all = logs.flatMap((entries, file) => entries.map((entry, index) => ({ entry, file, index })));
  all.sort((a, b) => (a.entry.time ?? 0) - (b.entry.time ?? 0) || a.file - b.file || a.index - b.index);
  return all.map((item) => item.entry);
}

export function formatEntry(entry: LogEntry, componentWidth: number): string {
  const time = entry.time !== null ? formatTime(entry.time) : ''.padEnd(23);
  return `${time}  ${entry.level.padEnd(5)}  ${entry.component.padEnd(componentWidth)}  ${entry.message}`;
}

function formatTime(ms: number): string {
  const date = new Date(ms);
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`
  );
}

export interface LogFollower {
  stop(): void;
}

/**
 * Prints what is appended to the log files from now on (polling, which also works on file systems
 * without inotify). Across a rotation: the live file was copied to name.log.1 and truncated, so what was
 * written since the last poll is read from name.log.1 (same offsets), then the live file from its start.
 */
export function followLogs(
  logsDir: string,
  components: readonly string[] | null,
  onEntry: (entry: LogEntry) => void,
  intervalMs = 200,
): LogFollower {
  interface Position {
    offset: number;
    partial: string;
    time: number | null;
    /** Size of name.log.1 when last seen: it changes when the file is rotated. */
    rotatedSize: number;
  }
  const positions = new Map<string, Position>();
  const files = () =>
    (components ?? logComponents(logsDir)).map((name) => ({ name, file: path.join(logsDir, `${name}.log`) }));
  for (const { name, file } of files())
    positions.set(name, {
      offset: fileSize(file),
      partial: '',
      time: null,
      rotatedSize: fileSize(`${file}.1`),
    });

  const poll = () => {
    for (const { name, file } of files()) {
      const position = positions.get(name) ?? { offset: 0, partial: '', time: null, rotatedSize: 0 };
      positions.set(name, position);
      if (fs.existsSync(rotatingCopyOf(file))) continue; // being rotated: read once it is done
      let size = fileSize(file);
      let chunk = '';
      const rotatedSize = fileSize(`${file}.1`);
      if (size < position.offset || rotatedSize !== position.rotatedSize) {
        // Rotated since the last poll: the rest of what we had read is at the end of name.log.1.
        if (rotatedSize > position.offset) chunk = readRange(`${file}.1`, position.offset, rotatedSize);
        position.offset = 0;
        position.rotatedSize = rotatedSize;
        size = fileSize(file);
      }
      if (size === position.offset && chunk === '') continue;
      chunk += readRange(file, position.offset, size);
      position.offset = size;
      const text = position.partial + chunk;
      const lastNewline = text.lastIndexOf('\n');
      position.partial = text.slice(lastNewline + 1);
      for (const entry of parseLines(text.slice(0, lastNewline + 1), name, position.time)) {
        position.time = entry.time;
        onEntry(entry);
      }
    }
  };
  const timer = setInterval(poll, intervalMs);
  return { stop: () => clearInterval(timer) };
}

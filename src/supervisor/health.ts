// Readiness and liveness probes: an HTTP GET answering 200, a TCP connect, or a component's own probe.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { HealthCheck } from './components.js';

export interface HealthResult {
  ok: boolean;
  /** HTTP status, or null when nothing answered. */
  status: number | null;
  body: Record<string, unknown> | null;
  error: string | null;
}

/** GET url; an https URL's certificate is checked against `ca` (a PEM file), or the system's CAs. */
export function probeHealth(url: string, timeoutMs = 1000, ca: string | null = null): Promise<HealthResult> {
  return new Promise((resolve) => {
    let trusted: Buffer | undefined;
    try {
      trusted = ca === null ? undefined : fs.readFileSync(ca);
    } catch (error) {
      resolve({
        ok: false,
        status: null,
        body: null,
        error: `cannot read the CA ${ca}: ${(error as Error).message}`,
      });
      return;
    }
    const get = url.startsWith('https:') ? https.get : http.get;
    const request = get(url, { timeout: timeoutMs, agent: false, ca: trusted }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        let body: Record<string, unknown> | null;
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          body = null;
        }
        resolve({ ok: response.statusCode === 200, status: response.statusCode ?? null, body, error: null });
      });
      response.on('error', (error) => resolve({ ok: false, status: null, body: null, error: error.message }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ ok: false, status: null, body: null, error: error.code ?? error.message }),
    );
  });
}

/** Runs one probe of any kind; never throws. */
export async function runHealthCheck(check: HealthCheck, timeoutMs: number): Promise<HealthResult> {
  switch (check.kind) {
    case 'http':
      return probeHealth(check.url, timeoutMs, check.ca ?? null);
    case 'tcp':
      return probeTcp(check.host, check.port, timeoutMs);
    case 'custom': {
      const outcome = await withTimeout(check.probe(timeoutMs), timeoutMs).catch((error: unknown) => ({
        ok: false,
        detail: error instanceof Error ? error.message : String(error),
      }));
      return {
        ok: outcome.ok,
        status: null,
        body: null,
        error: outcome.ok ? null : (outcome.detail ?? 'the probe failed'),
      };
    }
  }
}

/** How a check is shown to people (status, logs). */
export function describeCheck(check: HealthCheck): string {
  switch (check.kind) {
    case 'http':
      return `GET ${check.url}`;
    case 'tcp':
      return `TCP ${check.host}:${check.port}`;
    case 'custom':
      return check.description;
  }
}

function probeTcp(host: string, port: number, timeoutMs: number): Promise<HealthResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (error: string | null) => {
      socket.destroy();
      resolve({ ok: error === null, status: null, body: null, error });
    };
    socket.setTimeout(timeoutMs, () => done(`no connection within ${timeoutMs} ms`));
    socket.once('connect', () => done(null));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface WaitReadyOptions {
  timeoutMs: number;
  /** Poll interval; the probe itself is cheap (loopback HTTP). */
  intervalMs?: number;
  /** Stop waiting when this says the process is gone (it exited while starting). */
  abandoned?: () => boolean;
}

export type ReadyOutcome = 'ready' | 'timeout' | 'abandoned';

/** Polls the check until it passes, the timeout passes, or the caller abandons the wait. */
export async function waitUntilReady(check: HealthCheck, options: WaitReadyOptions): Promise<ReadyOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 50;
  for (;;) {
    if (options.abandoned?.()) return 'abandoned';
    const result = await runHealthCheck(check, Math.min(1000, Math.max(100, deadline - Date.now())));
    if (result.ok) return 'ready';
    if (options.abandoned?.()) return 'abandoned';
    if (Date.now() >= deadline) return 'timeout';
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

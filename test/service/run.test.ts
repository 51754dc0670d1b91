// Run until a signal: a clean stop gives 0, a failed stop 1, and a second signal during the stop
// exits at once.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runUntilSignal, silentLogger, STOP_SIGNALS } from '../../src/service/index.js';

function signalSource() {
  const emitter = new EventEmitter();
  return {
    on: (signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void) => emitter.on(signal, listener),
    off: (signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void) =>
      emitter.off(signal, listener),
    send: (signal: NodeJS.Signals) => emitter.emit(signal, signal),
    listeners: () => STOP_SIGNALS.reduce((count, signal) => count + emitter.listenerCount(signal), 0),
  };
}

describe('runUntilSignal', () => {
  it('stops the service on SIGTERM and resolves 0', async () => {
    const signals = signalSource();
    let stops = 0;
    const service = { stop: async () => void stops++ };
    const running = runUntilSignal(service, { name: 'test', logger: silentLogger(), signals });
    expect(stops).toBe(0);
    signals.send('SIGTERM');
    expect(await running).toBe(0);
    expect(stops).toBe(1);
    expect(signals.listeners()).toBe(0);
  });

  it('takes a signal that comes while the service is still starting, and stops it once started', async () => {
    const signals = signalSource();
    let stops = 0;
    let started!: (service: { stop(): Promise<void> }) => void;
    const starting = new Promise<{ stop(): Promise<void> }>((resolve) => (started = resolve));
    const running = runUntilSignal(starting, { name: 'test', logger: silentLogger(), signals });
    signals.send('SIGTERM');
    await new Promise((resolve) => setImmediate(resolve));
    expect(stops).toBe(0);
    started({ stop: async () => void stops++ });
    expect(await running).toBe(0);
    expect(stops).toBe(1);
  });

  it('rejects with the start failure, leaving no signal handler behind', async () => {
    const signals = signalSource();
    const failed = Promise.reject(new Error('port 9092 is in use'));
    await expect(runUntilSignal(failed, { name: 'test', logger: silentLogger(), signals })).rejects.toThrow(
      'port 9092 is in use',
    );
    expect(signals.listeners()).toBe(0);
  });

  it('resolves 1 when the stop fails', async () => {
    const signals = signalSource();
    const service = { stop: () => Promise.reject(new Error('could not flush')) };
    const running = runUntilSignal(service, { name: 'test', logger: silentLogger(), signals });
    signals.send('SIGINT');
    expect(await running).toBe(1);
  });

  it('forces the exit on a second signal while stopping', async () => {
    const signals = signalSource();
    let finishStop!: () => void;
    const service = { stop: () => new Promise<void>((resolve) => (finishStop = resolve)) };
    const forced: number[] = [];
    const running = runUntilSignal(service, {
      name: 'test',
      logger: silentLogger(),
      signals,
      forceExit: (code) => forced.push(code),
    });
    signals.send('SIGTERM');
    signals.send('SIGINT');
    expect(forced).toEqual([130]);
    await new Promise((resolve) => setImmediate(resolve));
    finishStop();
    expect(await running).toBe(0);
  });
});

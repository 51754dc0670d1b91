// The Host header check against DNS rebinding: a web page on another site whose name resolves to this
// machine must not reach the components with the user's browser. Only this machine's own names and
// addresses, and the names configured in http.allowedHosts, are answered.
import os from 'node:os';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
export const ANY_HOST = '*';

/** The Host values a component bound to `bindHost` answers when http.allowedHosts is not set. */
export function defaultAllowedHosts(bindHost: string): string[] {
  const names = new Set([...LOOPBACK_NAMES, bindHost.toLowerCase()]);
  if (bindHost === '0.0.0.0' || bindHost === '::') {
    names.add(os.hostname().toLowerCase());
    for (const addresses of Object.values(os.networkInterfaces()))
      for (const address of addresses ?? []) names.add(address.address.toLowerCase());
  }
  return [...names];
}

/** The host part of a Host header: `[::1]:8081` is `::1`, `Example.com:8081` is `example.com`. */
export function hostOf(header: string): string {
  const text = header.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return bracketed[1];
  return text.replace(/:\d+$/, '');
}

export function hostAllowed(header: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.includes(ANY_HOST)) return true;
  if (header === undefined || header === '') return false;
  return allowed.includes(hostOf(header));
}

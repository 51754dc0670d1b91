// Venice declares Node >= 20.19 and CI runs the suite on Node 20 and 22. Two packages below
// @platformatic/kafka 1.35 declare Node >= 22.19 in every published version, so `npm ci` on Node 20
// prints EBADENGINE warnings for them (README, "Node versions"). This test keeps that list from growing
// unnoticed: any other installed package that refuses Node 20.19 fails it.
import fs from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

interface LockedPackage {
  engines?: { node?: string } | string[];
  dev?: boolean;
  dependencies?: Record<string, string>;
}

/** Declared >= 22.19 but plain JavaScript and WebAssembly that run on 20 (the client suite on Node 20 uses them). */
const KNOWN_NODE_22_DECLARATIONS = ['@platformatic/dynamic-buffer', '@platformatic/wasm-utils'];

const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, LockedPackage>;
};
const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const OLDEST_SUPPORTED_NODE = semver.minVersion(manifest.engines.node)?.version ?? 'unknown';

function packageName(lockPath: string): string {
  return lockPath.slice(lockPath.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

describe('Node engines', () => {
  it('declares Node >= 20.19.4 (what @platformatic/kafka needs), which the machine running the tests satisfies', () => {
    expect(manifest.engines.node).toBe('>=20.19.4');
    expect(semver.satisfies(process.versions.node, manifest.engines.node)).toBe(true);
  });

  it('installs no runtime package that refuses Node 20.19 beyond the two known ones', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([lockPath, entry]) => lockPath !== '' && entry.dev !== true)
      .filter(([, entry]) => {
        const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return range !== undefined && !semver.satisfies(OLDEST_SUPPORTED_NODE, range);
      })
      .map(([lockPath]) => packageName(lockPath));
    expect(refusing.sort()).toEqual(KNOWN_NODE_22_DECLARATIONS);
  });

  it('pulls those two in only through @platformatic/kafka, whose own engines allow Node 20.19', () => {
    const dependents = Object.entries(lock.packages)
      .filter(([, entry]) =>
        KNOWN_NODE_22_DECLARATIONS.some((name) => entry.dependencies?.[name] !== undefined),
      )
      .map(([lockPath]) => packageName(lockPath));
    // wasm-utils comes through dynamic-buffer.
    expect(dependents.filter((name) => !KNOWN_NODE_22_DECLARATIONS.includes(name))).toEqual([
      '@platformatic/kafka',
    ]);
    const kafka = lock.packages['node_modules/@platformatic/kafka'];
    const range = Array.isArray(kafka?.engines) ? undefined : kafka?.engines?.node;
    expect(range !== undefined && semver.satisfies(OLDEST_SUPPORTED_NODE, range)).toBe(true);
  });
});

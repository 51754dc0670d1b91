// The README's step that puts `venice` on PATH from a clone (`npm install -g .`, which `npm link` also
// does): the package installs under its own name, its `venice` bin runs from any directory, and the
// project `venice install` scaffolds there prints next steps that name that bin.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
};

describe('venice on PATH from a clone', { timeout: 240_000 }, () => {
  let prefix: string;
  let workspace: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-global-'));
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-elsewhere-'));
    // A private global prefix, so the test changes nothing outside its own folders.
    const installed = spawnSync(
      'npm',
      ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', REPO],
      { encoding: 'utf8', timeout: 200_000 },
    );
    expect(installed.status, `${installed.stdout}\n${installed.stderr}`).toBe(0);
    env = { ...process.env, PATH: `${path.join(prefix, 'bin')}${path.delimiter}${process.env.PATH ?? ''}` };
    // npm reads the whole linked tree (node_modules included), which takes a minute on a busy machine.
  }, 220_000);
  afterAll(() => {
    fs.rmSync(prefix, { recursive: true, force: true });
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('installs under a package name of its own, with the venice bin', () => {
    // "venice" on the npm registry is an unrelated package; npx would fetch it outside the clone.
    expect(PACKAGE.name).not.toBe('venice');
    expect(Object.keys(PACKAGE.bin)).toEqual(['venice']);
    expect(fs.existsSync(path.join(prefix, 'lib', 'node_modules', PACKAGE.name))).toBe(true);
    expect(fs.existsSync(path.join(prefix, 'bin', 'venice'))).toBe(true);
  });

  it('runs from another directory and scaffolds a project whose next steps use it', () => {
    const help = spawnSync('venice', ['--help'], { cwd: workspace, env, encoding: 'utf8', timeout: 30_000 });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: venice');

    const install = spawnSync('venice', ['install', 'shop'], {
      cwd: workspace,
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout).toContain('venice up');
    expect(fs.existsSync(path.join(workspace, 'shop', 'venice.yaml'))).toBe(true);

    // The next step, from inside the new project, finds the same bin and reads the project's settings.
    const status = spawnSync('venice', ['status', '--json'], {
      cwd: path.join(workspace, 'shop'),
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(status.stderr).not.toContain('Cannot find');
    expect(status.stdout).toContain(path.join(workspace, 'shop', '.venice'));
  });
});

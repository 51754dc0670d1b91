// Opening the embedded database: PGlite (PostgreSQL compiled to WebAssembly, one session) with its
// files in the component's folder. A new folder needs initdb, which takes 10 s or more in WebAssembly;
// the first initdb on a machine is therefore kept as a template (a copy of the fresh, checkpointed data
// folder) in the user's cache, and later new folders are copies of it: a plain file copy and a normal
// start instead of initdb.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import type { Logger } from '../service/index.js';
import { EMBEDDED_SETTINGS, PGLITE_VERSION } from './defaults.js';

export interface OpenedDatabase {
  db: PGlite;
  /** How the folder came to hold a database: it had one, a template copy, or initdb. */
  origin: 'existing' | 'template' | 'initdb';
  startMs: number;
}

export interface OpenDatabaseOptions {
  dataDir: string;
  logger: Logger;
  /** Where templates are kept; null keeps none. Default: templateCacheDir(). */
  templateDir?: string | null;
}

/** `$XDG_CACHE_HOME/venice` or `~/.cache/venice`, or VENICE_CACHE_DIR. */
export function templateCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VENICE_CACHE_DIR) return env.VENICE_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'venice');
}

/** A template only serves the PGlite (and so PostgreSQL) version that made it. */
export function templatePath(cacheDir: string): string {
  return path.join(cacheDir, `postgres-template-pglite-${PGLITE_VERSION}`);
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const { dataDir, logger } = options;
  const cacheDir = options.templateDir === undefined ? templateCacheDir() : options.templateDir;
  const template = cacheDir === null ? null : templatePath(cacheDir);
  const startedAt = Date.now();
  // Compiled on V8's background threads while the folder is copied (or checked) here.
  const pgliteModule = compilePglite();
  fs.mkdirSync(dataDir, { recursive: true });
  let origin: OpenedDatabase['origin'] = 'existing';
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    if (fs.readdirSync(dataDir).length > 0)
      throw new Error(
        `${dataDir} holds files but no PostgreSQL database (no PG_VERSION): a first start was interrupted? ` +
          'Move the folder away (or delete it if nothing in it matters) and start again',
      );
    origin = template !== null && fs.existsSync(path.join(template, 'PG_VERSION')) ? 'template' : 'initdb';
    if (origin === 'template') {
      logger.info({ template }, 'new database: copying the template made by an earlier initdb');
      await copyInto(template!, dataDir);
    } else logger.info('new database: running initdb (10 s or more the first time on this machine)');
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create({
    dataDir,
    startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS.flatMap((setting) => ['-c', setting])],
    pgliteWasmModule: await pgliteModule,
  });
  if (origin === 'initdb' && template !== null) await keepTemplate(db, dataDir, template, logger);
  return { db, origin, startMs: Date.now() - startedAt };
}

/** The one call of the WebAssembly global used here (the project's TypeScript libraries do not declare it). */
const webAssembly = (
  globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<unknown> } }
).WebAssembly;

/**
 * PGlite's WebAssembly (9 MB), compiled ahead: PGlite would only start compiling it once the data folder
 * is ready. Undefined (PGlite then loads it itself) when it is not where PGlite keeps it.
 */
async function compilePglite(): Promise<PGliteOptions['pgliteWasmModule']> {
  try {
    const wasm = new URL('pglite.wasm', import.meta.resolve('@electric-sql/pglite'));
    return (await webAssembly.compile(await fs.promises.readFile(wasm))) as PGliteOptions['pgliteWasmModule'];
  } catch {
    return undefined;
  }
}

/** Copies the folder's files into `target` through a temporary folder, so a half copy is never taken for a database. */
async function copyInto(source: string, target: string): Promise<void> {
  const staging = `${target}.copying-${process.pid}`;
  await fs.promises.rm(staging, { recursive: true, force: true });
  await copyTree(source, staging);
  for (const entry of await fs.promises.readdir(staging))
    await fs.promises.rename(path.join(staging, entry), path.join(target, entry));
  await fs.promises.rm(staging, { recursive: true, force: true });
}

/** Files copied at once: a data folder is about a thousand small files, which one at a time take twice as long. */
const COPY_CONCURRENCY = 16;

/** Copies a folder tree: the folders first, then the files several at a time (a clone where the file system can). */
async function copyTree(source: string, target: string): Promise<void> {
  const files: [from: string, to: string][] = [];
  const copyFolders = async (from: string, to: string): Promise<void> => {
    await fs.promises.mkdir(to, { recursive: true });
    for (const entry of await fs.promises.readdir(from, { withFileTypes: true })) {
      const pair: [string, string] = [path.join(from, entry.name), path.join(to, entry.name)];
      if (entry.isDirectory()) await copyFolders(...pair);
      else files.push(pair);
    }
  };
  await copyFolders(source, target);
  let next = 0;
  const copyNext = async (): Promise<void> => {
    for (let pair = files[next++]; pair; pair = files[next++])
      await fs.promises.copyFile(pair[0], pair[1], fs.constants.COPYFILE_FICLONE);
  };
  await Promise.all(Array.from({ length: COPY_CONCURRENCY }, copyNext));
}

/** Checkpoints the fresh database and copies its folder as the template; a failure only costs later starts their speed. */
async function keepTemplate(db: PGlite, dataDir: string, template: string, logger: Logger): Promise<void> {
  const staging = `${template}.${process.pid}`;
  try {
    await db.exec('CHECKPOINT');
    await fs.promises.mkdir(path.dirname(template), { recursive: true });
    await fs.promises.rm(staging, { recursive: true, force: true });
    await copyTree(dataDir, staging);
    await fs.promises.rename(staging, template).catch(async (error: NodeJS.ErrnoException) => {
      // Another process kept its template first: keep that one.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      await fs.promises.rm(staging, { recursive: true, force: true });
    });
    logger.info({ template }, 'kept the fresh database as a template for the next new data folders');
  } catch (error) {
    await fs.promises.rm(staging, { recursive: true, force: true }).catch(() => {});
    logger.warn({ err: error, template }, 'could not keep a template of the fresh database');
  }
}

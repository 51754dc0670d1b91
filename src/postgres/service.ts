// Starts the postgres component: PGlite with its files in the component's folder, served on the
// PostgreSQL wire protocol by the front, for any number of clients (a sink's pool, psql, the console).
// Stopping ends the clients (their open transactions roll back), checkpoints and closes PGlite, so the
// next start needs no recovery; a kill loses no committed row either (PGlite writes its WAL at commit).
import type { LogLevel } from '../config/settings.js';
import { createLogger, listenOrExplain, type ListenSetting, type Logger } from '../service/index.js';
import { openDatabase, type OpenedDatabase } from './database.js';
import { DEFAULT_POSTGRES_PORT, EMBEDDED_DATABASE, EMBEDDED_USER, embeddedPostgresUrl } from './defaults.js';
import { PostgresFront } from './front.js';
import { SharedSession } from './session.js';
import { startupMessage } from './wire.js';

export interface PostgresServiceOptions {
  /** The component's own folder: PGlite's data folder. */
  readonly dataDir: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly logger?: Logger;
  readonly listenSetting?: ListenSetting;
  /** Where the data folder template is kept (database.ts); null keeps none. */
  readonly templateDir?: string | null;
  /** PGlite failed for good (its WebAssembly exited): the process should end, to be restarted. */
  readonly onBroken?: (error: Error) => void;
}

export interface RunningPostgres {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly origin: OpenedDatabase['origin'];
  /** How long opening the database took (initdb or template copy included). */
  readonly startMs: number;
  readonly session: SharedSession;
  clientCount(): number;
  stop(): Promise<void>;
}

export function createPostgresLogger(level: LogLevel): Logger {
  return createLogger({ name: 'postgres', level });
}

export async function startPostgres(options: PostgresServiceOptions): Promise<RunningPostgres> {
  const logger = options.logger ?? createPostgresLogger('info');
  const host = options.host ?? '127.0.0.1';
  const opened = await openDatabase({ dataDir: options.dataDir, logger, templateDir: options.templateDir });
  const { db } = opened;
  const session = new SharedSession(db, (error) => {
    logger.error({ err: error }, 'the embedded PostgreSQL failed');
    options.onBroken?.(error);
  });
  let front: PostgresFront | undefined;
  try {
    const parameters = await sessionParameters(session);
    front = new PostgresFront({ session, parameters, logger });
    const wantedPort = options.port ?? DEFAULT_POSTGRES_PORT;
    const listening = front;
    const port = await listenOrExplain(
      { host, port: wantedPort, setting: options.listenSetting ?? { setting: 'postgres' } },
      () => listening.listen(host, wantedPort),
    );
    const url = embeddedPostgresUrl(host, port);
    logger.info(
      { url, dataDir: options.dataDir, origin: opened.origin, startMs: opened.startMs },
      `postgres (PGlite) listening on ${url}`,
    );
    let stopping: Promise<void> | undefined;
    return {
      url,
      host,
      port,
      origin: opened.origin,
      startMs: opened.startMs,
      session,
      clientCount: () => listening.clientCount,
      stop: () =>
        (stopping ??= (async () => {
          await listening.close();
          const checkpoint = await session
            .query('CHECKPOINT')
            .catch((error: Error) => ({ error: error.message }));
          if (checkpoint.error)
            logger.warn({ detail: checkpoint.error }, 'the checkpoint before closing failed');
          await db.close();
        })()),
    };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

/**
 * Starts PGlite's protocol session once, as the component's own user, and keeps the ParameterStatus
 * values it reports: each client gets them at its own startup.
 */
async function sessionParameters(session: SharedSession): Promise<Map<string, string>> {
  const lease = await session.acquire();
  const parameters = new Map<string, string>();
  try {
    await lease.send(startupMessage({ user: EMBEDDED_USER, database: EMBEDDED_DATABASE }), (messages) => {
      for (const message of messages) {
        if (message.type !== 'S') continue;
        const [name, value] = message.body.toString('utf8').split('\0');
        parameters.set(name!, value ?? '');
      }
    });
  } finally {
    lease.release();
  }
  if (!parameters.get('session_authorization')) parameters.set('session_authorization', EMBEDDED_USER);
  return parameters;
}

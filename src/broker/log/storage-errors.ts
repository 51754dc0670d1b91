// Failures of the disk under the log (a full disk above all). A client gets KAFKA_STORAGE_ERROR with a
// message instead of a dropped connection; the operator gets one clear line per kind of failure and
// minute instead of one per request, and one line when writes succeed again.
import { ErrorCode } from '../../protocol/error-codes.js';
import { RateLimitedLog, type RateLimit } from '../rate-limited-log.js';
import { LogError } from './errors.js';

/** A full disk fails every write until space is freed: saying so once a minute is enough. */
export const STORAGE_WARNING_RATE_LIMIT: RateLimit = { linesPerInterval: 1, intervalMs: 60_000 };

export interface StorageLogger {
  warn(message: string): void;
  info(message: string): void;
}

const SILENT: StorageLogger = { warn: () => {}, info: () => {} };

/** Codes of a volume that has no room left for us. */
const NO_ROOM = new Set(['ENOSPC', 'EDQUOT']);

/** An error the file system raised (it carries an errno code and the failed call), not a bug of Venice. */
export function isStorageError(error: unknown): error is NodeJS.ErrnoException {
  if (!(error instanceof Error)) return false;
  const { code, syscall } = error as NodeJS.ErrnoException;
  return typeof code === 'string' && typeof syscall === 'string';
}

/** The volume has no room left: the one failure a write may leave behind without harm to what is read. */
export function isNoRoom(error: unknown): boolean {
  return isStorageError(error) && NO_ROOM.has(error.code ?? '');
}

/** What went wrong, where, and what to do: for the client's error message and the broker's log. */
export function describeStorageError(error: NodeJS.ErrnoException, doing: string): string {
  const code = error.code ?? 'EIO';
  if (NO_ROOM.has(code)) {
    return (
      `disk full (${code}) while ${doing}: free space on the volume of the broker's data directory ` +
      '(delete other files, delete topics or records, or lower retention.ms/retention.bytes); ' +
      'writes resume by themselves once there is room'
    );
  }
  if (code === 'EROFS') {
    return (
      `storage error while ${doing}: ${error.message} (the kernel remounts a file system read-only after ` +
      'disk errors: see dmesg); writes resume once it is writable again'
    );
  }
  return `storage error while ${doing}: ${error.message}; check the disk and the data directory's permissions`;
}

/** One per broker: every partition reports its disk failures here. */
export class StorageErrors {
  private readonly warnings: RateLimitedLog;
  /** Writes refused since the last one that succeeded. */
  private refused = 0;

  constructor(
    private readonly logger: StorageLogger = SILENT,
    limit: RateLimit = STORAGE_WARNING_RATE_LIMIT,
  ) {
    this.warnings = new RateLimitedLog((message) => logger.warn(message), limit);
  }

  /**
   * Logs a storage failure (rate-limited) and returns the LogError (KAFKA_STORAGE_ERROR) to answer with. A
   * LogError is returned as it is (reported already). Anything else is a bug, not the disk's doing: rethrown.
   */
  toLogError(error: unknown, doing: string): LogError {
    if (error instanceof LogError) return error;
    if (!isStorageError(error)) throw error;
    const message = describeStorageError(error, doing);
    this.refused++;
    this.warnings.warning(`storage ${error.code ?? 'error'}`, message);
    return new LogError(ErrorCode.KAFKA_STORAGE_ERROR, message);
  }

  /** For background work, which has nobody to answer: logs the failure whatever it is. */
  report(error: unknown, doing: string): void {
    if (error instanceof LogError) return;
    if (isStorageError(error)) this.toLogError(error, doing);
    else
      this.logger.warn(
        `${doing} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
  }

  /** A write went through: after failures, say once that the disk takes writes again. */
  succeeded(): void {
    if (this.refused === 0) return;
    const refused = this.refused;
    this.refused = 0;
    this.logger.info(`the data directory takes writes again (${refused} writes were refused meanwhile)`);
  }

  /** Prints the pending summaries of suppressed lines (the broker is stopping). */
  flush(): void {
    this.warnings.flush();
  }
}

// The Kafka listener: accepts sockets within the connection caps and wraps each in a Connection.
import net from 'node:net';
import { Connection, type ConnectionLimits, type RequestProcessor } from './connection.js';
import { RequestMemory } from './request-memory.js';
import { RateLimitedLog, type RateLimit } from '../rate-limited-log.js';
import type { PrincipalBuilder } from '../security/principal-builder.js';

export interface ServerLimits extends ConnectionLimits {
  /** Bytes all connections together may hold in requests being read or answered (queued.max.request.bytes). */
  readonly queuedMaxRequestBytes: number;
  /** Connections open at once (max.connections). */
  readonly maxConnections: number;
  /** Connections open at once from one address (max.connections.per.ip). */
  readonly maxConnectionsPerIp: number;
}

export interface TcpServerOptions {
  host: string;
  port: number;
  limits: ServerLimits;
  processor: RequestProcessor;
  /** Where warnings about clients go; they are rate-limited here, per kind. */
  warn?: (message: string) => void;
  warningRateLimit?: RateLimit;
  /** Names each new connection's principal (User:ANONYMOUS without one). */
  principalBuilder?: PrincipalBuilder | null;
}

export class TcpServer {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  private readonly connectionsPerAddress = new Map<string, number>();
  private readonly memory: RequestMemory;
  private readonly warnings: RateLimitedLog;
  private nextConnectionId = 1;

  constructor(private readonly options: TcpServerOptions) {
    this.server = net.createServer((socket) => this.accept(socket));
    this.memory = new RequestMemory(options.limits.queuedMaxRequestBytes);
    this.warnings = new RateLimitedLog(options.warn ?? (() => {}), options.warningRateLimit);
  }

  private accept(socket: net.Socket): void {
    const { limits } = this.options;
    const address = socket.remoteAddress ?? 'unknown';
    const fromAddress = this.connectionsPerAddress.get(address) ?? 0;
    let refusal: string | null = null;
    if (this.connections.size >= limits.maxConnections) {
      refusal = `${this.connections.size} connections are open (max.connections ${limits.maxConnections})`;
    } else if (fromAddress >= limits.maxConnectionsPerIp) {
      refusal = `${fromAddress} connections from this address are open (max.connections.per.ip ${limits.maxConnectionsPerIp})`;
    }
    if (refusal !== null) {
      this.warnings.warning('refused', `refused connection from ${address}:${socket.remotePort}: ${refusal}`);
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    this.connectionsPerAddress.set(address, fromAddress + 1);
    const connection = new Connection(
      this.nextConnectionId++,
      socket,
      this.options.processor,
      {
        onClose: (closed) => this.forget(closed, address),
        onProtocolError: (failed, error) =>
          this.warnings.warning(
            'protocol-error',
            `closed connection from ${describe(failed)}: ${error.message}`,
          ),
        onLimitClose: (limited, kind, message) => {
          // Idle clients are ordinary (Kafka logs them at debug); a stalled frame is worth a warning.
          if (kind === 'read-timeout')
            this.warnings.warning(kind, `closed connection from ${describe(limited)}: ${message}`);
        },
      },
      limits,
      this.memory,
    );
    if (this.options.principalBuilder) connection.principal = this.options.principalBuilder(connection);
    this.connections.add(connection);
  }

  private forget(connection: Connection, address: string): void {
    if (!this.connections.delete(connection)) return;
    const left = (this.connectionsPerAddress.get(address) ?? 1) - 1;
    if (left > 0) this.connectionsPerAddress.set(address, left);
    else this.connectionsPerAddress.delete(address);
  }

  /** Resolves with the port actually bound (useful when 0 asks for any free port). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen({ host: this.options.host, port: this.options.port }, () => {
        this.server.off('error', onError);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : this.options.port);
      });
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Bytes currently reserved by requests being read or answered. */
  get heldRequestBytes(): number {
    return this.memory.heldBytes;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.close();
    await closed;
    this.warnings.flush();
  }
}

function describe(connection: Connection): string {
  return `${connection.remoteAddress}:${connection.remotePort}`;
}

// The Kafka listener: accepts sockets and wraps each in a Connection.
import net from 'node:net';
import { Connection, type RequestProcessor } from './connection.js';

export interface TcpServerOptions {
  host: string;
  port: number;
  maxRequestBytes: number;
  processor: RequestProcessor;
  onProtocolError?: (remote: string, error: Error) => void;
}

export class TcpServer {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  private nextConnectionId = 1;

  constructor(private readonly options: TcpServerOptions) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  private accept(socket: net.Socket): void {
    const connection = new Connection(
      this.nextConnectionId++,
      socket,
      this.options.processor,
      {
        onClose: (closed) => this.connections.delete(closed),
        onProtocolError: (failed, error) =>
          this.options.onProtocolError?.(`${failed.remoteAddress}:${failed.remotePort}`, error),
      },
      this.options.maxRequestBytes,
    );
    this.connections.add(connection);
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

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.close();
    await closed;
  }
}

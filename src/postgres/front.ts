// The TCP front of the embedded PostgreSQL: accepts any number of clients on the PostgreSQL wire
// protocol and gives each its own connection (client-connection.ts) over PGlite's one session.
// (pglite-socket's server interleaves clients message by message, which mixes up two clients'
// extended-protocol batches, and passes every client's startup to the session; hence this front.)
import net from 'node:net';
import type { Logger } from '../service/index.js';
import { ClientConnection } from './client-connection.js';
import type { SharedSession } from './session.js';

export interface FrontOptions {
  session: SharedSession;
  parameters: ReadonlyMap<string, string>;
  logger: Logger;
}

export class PostgresFront {
  private readonly server: net.Server;
  private readonly clients = new Set<ClientConnection>();
  private nextClientId = 1;

  constructor(private readonly options: FrontOptions) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Binds; resolves with the port (the one given, or the free one picked for 0). */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  /** Stops accepting, ends every client and waits for their cleanup (rollbacks) to finish. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const clients = [...this.clients];
    for (const client of clients) client.close();
    await Promise.all(clients.map((client) => client.finished));
    await closed;
  }

  private accept(socket: net.Socket): void {
    const client = new ClientConnection({
      id: this.nextClientId++,
      socket,
      session: this.options.session,
      parameters: this.options.parameters,
      logger: this.options.logger,
    });
    this.clients.add(client);
    void client.finished.then(() => this.clients.delete(client));
  }
}

// A follower answers reads itself and forwards writes to the primary, then waits until its own
// reader has caught up with the log, so a client reading back from the follower sees its write.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { forwardingFailed } from '../errors.js';

export class Forwarder {
  constructor(
    readonly primaryUrl: string,
    private readonly catchUp: () => Promise<void>,
    private readonly timeoutMs = 30_000,
  ) {}

  async forward(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const target = new URL(request.url, this.primaryUrl);
    let response: Response;
    try {
      response = await fetch(target, {
        method: request.method,
        headers: {
          'content-type': 'application/vnd.schemaregistry.v1+json',
          accept: 'application/vnd.schemaregistry.v1+json',
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
      throw forwardingFailed(
        `Error while forwarding the request to the primary at ${this.primaryUrl}: ${reason}`,
      );
    }
    const body = await response.text();
    if (response.ok) await this.catchUp();
    return reply.code(response.status).send(body);
  }
}

// A follower answers reads itself and forwards writes to the primary, then waits until its own
// reader has caught up with the log, so a client reading back from the follower sees its write.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { forwardingFailed } from '../errors.js';
import { redactUrl } from '../redact.js';

export class Forwarder {
  /** The primary's URL without credentials: fetch refuses URLs that carry them. */
  readonly #base: URL;
  /** Basic auth from the URL's credentials, if it had any. */
  readonly #authorization: string | undefined;
  /** The primary's URL as it may be shown: the password replaced. */
  readonly shownUrl: string;

  constructor(
    primaryUrl: string,
    private readonly catchUp: () => Promise<void>,
    private readonly timeoutMs = 30_000,
    /** The transport: trusts the configured CA when the primary serves HTTPS. */
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.#base = new URL(primaryUrl);
    if (this.#base.username !== '' || this.#base.password !== '') {
      const credentials = `${decodeURIComponent(this.#base.username)}:${decodeURIComponent(this.#base.password)}`;
      this.#authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
      this.#base.username = '';
      this.#base.password = '';
    }
    this.shownUrl = redactUrl(primaryUrl);
  }

  async forward(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const target = new URL(request.url, this.#base);
    let response: Response;
    try {
      // The caller's own credentials go on, so the primary checks the same user's roles.
      const authorization = request.headers.authorization ?? this.#authorization;
      response = await this.fetchImpl(target, {
        method: request.method,
        headers: {
          'content-type': 'application/vnd.schemaregistry.v1+json',
          accept: 'application/vnd.schemaregistry.v1+json',
          ...(authorization ? { authorization } : {}),
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
        `Error while forwarding the request to the primary at ${this.shownUrl}: ${reason}`,
      );
    }
    const body = await response.text();
    if (response.ok) await this.catchUp();
    return reply.code(response.status).send(body);
  }
}

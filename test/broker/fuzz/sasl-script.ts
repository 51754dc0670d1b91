// One fuzz connection to a SASL_PLAINTEXT listener: a PLAIN or SCRAM login (handshake v0 or v1) done
// correctly up to a step chosen at random, where something bad is sent instead (random or mutated
// frames, odd tokens, requests out of order, a frame cut short), or, once logged in, mutated and random
// Kafka frames. A correct broker answers or closes; it never goes silent on a whole frame.
import crypto from 'node:crypto';
import { ApiKey } from '../../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import { encodeFrame, mutate, MUTATIONS, randomBytesFrame, type Frame } from './frames.js';
import type { PlanBuilder } from './plan.js';
import type { Prng } from './prng.js';
import { answeredOrClosed, closedWithin, ScriptedConnection } from './scripted-connection.js';

export interface Login {
  user: string;
  password: string;
}

export interface SaslFuzzContext {
  port: number;
  /** A static PLAIN user and a SCRAM user (SHA-256 and SHA-512 credentials). */
  plain: Login;
  scram: Login;
  supportedKeys: ReadonlySet<number>;
  plans: PlanBuilder;
  /** How long a whole frame may go unanswered before the broker must have answered or closed. */
  answerWithinMs: number;
  /** The same for a frame cut short: the broker's request.read.timeout.ms and some slack. */
  incompleteWithinMs: number;
}

export interface FuzzOutcome {
  /** "<mechanism> v<handshake>: <step>: <fault>", for the report. */
  label: string;
  answered: boolean;
  closedByBroker: boolean;
  /** What a correct broker would have done differently; null when it behaved. */
  problem: string | null;
}

const MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
type Mechanism = (typeof MECHANISMS)[number];
const FAULTS = ['random-frame', 'mutated', 'odd-token', 'out-of-order', 'truncated', 'unframed'] as const;
type Fault = (typeof FAULTS)[number];

/** Whether `bytes` is exactly one frame whose size prefix tells its true length. */
export function isWholeFrame(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readInt32BE(0) === bytes.length - 4;
}

function rawTokenFrame(token: Buffer): Buffer {
  const frame = Buffer.alloc(4 + token.length);
  frame.writeInt32BE(token.length, 0);
  token.copy(frame, 4);
  return frame;
}

/** The client side of a login, one step at a time, valid unless the script breaks a step. */
class LoginFlow {
  private correlationId = 1;
  private clientFirstBare = '';
  readonly steps: string[];

  constructor(
    private readonly connection: ScriptedConnection,
    readonly mechanism: Mechanism,
    readonly handshakeVersion: number,
    readonly authenticateVersion: number,
    private readonly login: Login,
    private readonly answerWithinMs: number,
  ) {
    this.steps =
      mechanism === 'PLAIN' ? ['handshake', 'token'] : ['handshake', 'client-first', 'client-final'];
  }

  nextCorrelationId(): number {
    return this.correlationId++;
  }

  handshakeFrame(mechanism: string = this.mechanism): Frame {
    return encodeFrame(ApiKey.SaslHandshake, this.handshakeVersion, this.nextCorrelationId(), { mechanism });
  }

  /** A token as this flow carries it: a SaslAuthenticate request (v1 handshake) or a bare frame (v0). */
  tokenFrame(token: Buffer): { bytes: Buffer; frame: Frame | null } {
    if (this.handshakeVersion === 0) return { bytes: rawTokenFrame(token), frame: null };
    const frame = encodeFrame(ApiKey.SaslAuthenticate, this.authenticateVersion, this.nextCorrelationId(), {
      authBytes: token,
    });
    return { bytes: frame.bytes, frame };
  }

  /** The valid token of step `index` (1 on), given the server's last challenge. */
  async validToken(index: number, challenge: Buffer): Promise<Buffer> {
    if (this.mechanism === 'PLAIN')
      return Buffer.from(`\u0000${this.login.user}\u0000${this.login.password}`);
    if (index === 1) {
      this.clientFirstBare = `n=${this.login.user},r=${crypto.randomBytes(12).toString('base64url')}`;
      return Buffer.from(`n,,${this.clientFirstBare}`);
    }
    return scramClientFinal(this.mechanism, this.login.password, this.clientFirstBare, challenge.toString());
  }

  /** Sends step `index` correctly; returns the server's challenge, or why the step failed. */
  async validStep(index: number, challenge: Buffer): Promise<Buffer | string> {
    if (index === 0) {
      this.connection.write(this.handshakeFrame().bytes);
      const answer = await this.connection.response(
        ApiKey.SaslHandshake,
        this.handshakeVersion,
        this.answerWithinMs,
      );
      if (answer?.errorCode !== ErrorCode.NONE) return `handshake answered ${JSON.stringify(answer)}`;
      return Buffer.alloc(0);
    }
    const token = await this.validToken(index, challenge);
    this.connection.write(this.tokenFrame(token).bytes);
    if (this.handshakeVersion === 0) {
      const raw = await this.connection.next(this.answerWithinMs);
      return raw ?? `no raw challenge at step ${this.steps[index]}`;
    }
    const answer = await this.connection.response(
      ApiKey.SaslAuthenticate,
      this.authenticateVersion,
      this.answerWithinMs,
    );
    if (answer?.errorCode !== ErrorCode.NONE) return `${this.steps[index]} answered ${answer?.errorMessage}`;
    return answer.authBytes;
  }
}

async function scramClientFinal(
  mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512',
  password: string,
  clientFirstBare: string,
  serverFirst: string,
): Promise<Buffer> {
  const hash = mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
  const fields = new Map(serverFirst.split(',').map((part) => [part.slice(0, 1), part.slice(2)]));
  const salt = Buffer.from(fields.get('s') ?? '', 'base64');
  const iterations = Number(fields.get('i'));
  const keyLength = hash === 'sha256' ? 32 : 64;
  const salted = await new Promise<Buffer>((resolve, reject) =>
    crypto.pbkdf2(password, salt, iterations, keyLength, hash, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
  const withoutProof = `c=biws,r=${fields.get('r')}`;
  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
  const clientKey = crypto.createHmac(hash, salted).update('Client Key').digest();
  const storedKey = crypto.createHash(hash).update(clientKey).digest();
  const signature = crypto.createHmac(hash, storedKey).update(authMessage).digest();
  const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]));
  return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`);
}

/** Tokens a careless or hostile client might send at a step. */
function oddToken(rng: Prng, step: string, login: Login): Buffer {
  const text = (value: string) => Buffer.from(value, 'utf8');
  const choices: Buffer[] = [Buffer.alloc(0), rng.bytes(rng.int(1, 300)), Buffer.alloc(rng.int(1, 40), 0)];
  if (step === 'token') {
    choices.push(
      text(`\u0000${login.user}`),
      text(`a\u0000b\u0000c\u0000d`),
      text(`\u0000\u0000${login.password}`),
      text(`${login.user}\u0000\u0000`),
      text(`other\u0000${login.user}\u0000${login.password}`),
      text(`\u0000${'u'.repeat(rng.int(100, 5000))}\u0000${login.password}`),
      Buffer.concat([text(`\u0000${login.user}\u0000`), Buffer.from([0xff, 0xfe, 0xc3])]),
    );
  } else if (step === 'client-first') {
    choices.push(
      text('n,,'),
      text('p=tls-unique,,n=a,r=b'),
      text(`n,a=someone-else,n=${login.user},r=abc`),
      text(`n,,n=${login.user},r=abc,tokenauth=true`),
      text(`n,,n=${login.user},r=`),
      text(`n,,n=${login.user}`),
      text(`y,,n=${'=3D'.repeat(rng.int(1, 500))},r=x`),
    );
  } else if (step === 'client-final') {
    choices.push(
      text('c=biws,r=not-the-nonce,p=AAAA'),
      text('c=biws'),
      text('c=xx,r=,p='),
      text(`c=biws,r=,p=${'!'.repeat(rng.int(1, 200))}`),
      text(`c=biws,r=,p=${rng.bytes(rng.int(1, 100)).toString('base64')}`),
    );
  }
  return rng.pick(choices);
}

function oddMechanism(rng: Prng): string {
  return rng.pick([
    '',
    'plain',
    'GSSAPI',
    'OAUTHBEARER',
    'SCRAM-SHA-1',
    'PLAIN\u0000',
    rng.bytes(rng.int(1, 60)).toString('latin1'),
    'X'.repeat(rng.int(100, 3000)),
  ]);
}

/** Runs one connection of the SASL fuzz. */
export async function saslFuzzConnection(context: SaslFuzzContext, rng: Prng): Promise<FuzzOutcome> {
  const mechanism = rng.pick(MECHANISMS);
  const connection = await ScriptedConnection.tcp(context.port);
  const flow = new LoginFlow(
    connection,
    mechanism,
    rng.pick([0, 1]),
    rng.int(0, 2),
    mechanism === 'PLAIN' ? (rng.chance(0.5) ? context.plain : context.scram) : context.scram,
    context.answerWithinMs,
  );
  const breakAt = rng.int(0, flow.steps.length);
  const step = breakAt === flow.steps.length ? 'logged-in' : flow.steps[breakAt];
  let label = `${mechanism} v${flow.handshakeVersion}: ${step}`;
  const outcome = (problem: string | null): FuzzOutcome => ({
    label,
    answered: connection.framesSinceMark > 0,
    closedByBroker: connection.closedByBroker,
    problem: problem ?? (connection.error ? `socket error ${connection.error}` : null),
  });
  try {
    let challenge: Buffer = Buffer.alloc(0);
    for (let index = 0; index < breakAt; index++) {
      const result = await flow.validStep(index, challenge);
      if (typeof result === 'string') return outcome(`a valid ${flow.steps[index]} failed: ${result}`);
      challenge = result;
    }
    if (step === 'logged-in') {
      const kind = rng.pick(['mutated', 'random-bytes'] as const);
      label += `: ${kind}`;
      const plan = context.plans.build(kind, rng, rng.int(1, 20));
      connection.mark();
      connection.write(Buffer.concat(plan.frames));
      // Random frames name APIs the broker does not have: it must hang up.
      if (kind === 'random-bytes') {
        return outcome(
          await closedWithin(connection, context.incompleteWithinMs, 'random frames after login'),
        );
      }
      return outcome(
        await answeredOrClosed(connection, context.incompleteWithinMs, 'Kafka frames after login'),
      );
    }

    const fault: Fault = rng.pick(FAULTS);
    label += `: ${fault}`;
    const bytes = await faultBytes(fault, rng, flow, breakAt, challenge, context);
    connection.mark();
    connection.write(bytes);
    // Random bytes after the fault, now and then: what a confused client keeps sending.
    if (rng.chance(0.3)) {
      for (let i = rng.int(1, 4); i > 0; i--) connection.write(randomBytesFrame(rng, context.supportedKeys));
    }
    const within = isWholeFrame(bytes) ? context.answerWithinMs : context.incompleteWithinMs;
    return outcome(await answeredOrClosed(connection, within, `${fault} at ${step}`));
  } finally {
    connection.destroy();
  }
}

async function faultBytes(
  fault: Fault,
  rng: Prng,
  flow: LoginFlow,
  index: number,
  challenge: Buffer,
  context: SaslFuzzContext,
): Promise<Buffer> {
  const step = flow.steps[index];
  const valid =
    index === 0
      ? { bytes: flow.handshakeFrame().bytes, frame: null as Frame | null }
      : flow.tokenFrame(await flow.validToken(index, challenge));
  const validFrame = index === 0 ? flow.handshakeFrame() : valid.frame;
  switch (fault) {
    case 'random-frame':
      return randomBytesFrame(rng, context.supportedKeys);
    case 'mutated': {
      if (validFrame === null) {
        const out = Buffer.from(valid.bytes);
        for (let flips = rng.int(1, 8); flips > 0 && out.length > 4; flips--)
          out[rng.int(4, out.length - 1)] ^= 1 << rng.int(0, 7);
        return out;
      }
      return mutate(rng, validFrame, rng.pick(MUTATIONS), () => validFrame);
    }
    case 'odd-token':
      if (index === 0) return flow.handshakeFrame(oddMechanism(rng)).bytes;
      return flow.tokenFrame(oddToken(rng, step, step === 'token' ? context.plain : context.scram)).bytes;
    case 'out-of-order': {
      const id = flow.nextCorrelationId();
      return rng.pick([
        encodeFrame(ApiKey.SaslAuthenticate, rng.int(0, 2), id, { authBytes: rng.bytes(8) }),
        encodeFrame(ApiKey.SaslHandshake, rng.int(0, 1), id, { mechanism: 'PLAIN' }),
        encodeFrame(ApiKey.Metadata, 12, id, {
          topics: null,
          allowAutoTopicCreation: true,
          includeClusterAuthorizedOperations: false,
          includeTopicAuthorizedOperations: false,
        }),
        encodeFrame(ApiKey.ApiVersions, 3, id, { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' }),
      ]).bytes;
    }
    case 'truncated':
      return valid.bytes.subarray(0, rng.int(1, valid.bytes.length - 1));
    case 'unframed':
      return rng.bytes(rng.int(1, 64));
  }
}

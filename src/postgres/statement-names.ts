// Named prepared statements and portals belong to a connection in PostgreSQL, but every client of the
// front shares PGlite's one session: two clients preparing "s1" would collide, and one could run the
// other's. Each client's names are therefore given its own prefix on the way in. The unnamed statement
// and portal need no prefix: a client holds the session from its Parse to its Sync.
import { cString, readCString, typedMessage, type TypedMessage } from './wire.js';

export interface NamedMessage {
  /** The message with its names prefixed (the same message when it names nothing). */
  raw: Buffer;
  /** A statement this message creates (Parse) or closes (Close 'S'), prefixed. */
  creates?: string;
  closes?: string;
  /** The query text of a Parse. */
  query?: string;
}

export function prefixNames(message: TypedMessage, prefix: string): NamedMessage {
  const named = (name: string) => (name === '' ? '' : prefix + name);
  const { type, body } = message;
  switch (type) {
    case 'P': {
      const [name, afterName] = readCString(body, 0);
      const [query] = readCString(body, afterName);
      const raw =
        name === ''
          ? message.raw
          : typedMessage('P', Buffer.concat([cString(named(name)), body.subarray(afterName)]));
      return { raw, query, ...(name === '' ? {} : { creates: named(name) }) };
    }
    case 'B': {
      const [portal, afterPortal] = readCString(body, 0);
      const [statement, afterStatement] = readCString(body, afterPortal);
      if (portal === '' && statement === '') return { raw: message.raw };
      return {
        raw: typedMessage(
          'B',
          Buffer.concat([cString(named(portal)), cString(named(statement)), body.subarray(afterStatement)]),
        ),
      };
    }
    case 'D':
    case 'C': {
      const kind = String.fromCharCode(body[0]!);
      const [name] = readCString(body, 1);
      if (name === '') return { raw: message.raw };
      const raw = typedMessage(type, Buffer.concat([body.subarray(0, 1), cString(named(name))]));
      return type === 'C' && kind === 'S' ? { raw, closes: named(name) } : { raw };
    }
    case 'E': {
      const [portal, afterPortal] = readCString(body, 0);
      if (portal === '') return { raw: message.raw };
      return { raw: typedMessage('E', Buffer.concat([cString(named(portal)), body.subarray(afterPortal)])) };
    }
    default:
      return { raw: message.raw };
  }
}

/** A Parse with its query text replaced (the parameter types kept). */
export function replaceParseQuery(raw: Buffer, query: string): Buffer {
  const body = raw.subarray(5);
  const [, afterName] = readCString(body, 0);
  const [, afterQuery] = readCString(body, afterName);
  return typedMessage(
    'P',
    Buffer.concat([body.subarray(0, afterName), cString(query), body.subarray(afterQuery)]),
  );
}

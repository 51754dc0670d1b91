// URL functions. A URL is split as java.net.URI does (RFC 3986's regular expression); the parts come back
// decoded, as URI's getters give them, and a part that is absent is NULL.
import { SqlTypes, type SqlValue } from '../types/index.js';
import type { FunctionOverload, SqlFunction } from './registry.js';

const { STRING, INTEGER } = SqlTypes;

interface UrlParts {
  readonly scheme?: string;
  readonly userInfo?: string;
  readonly host?: string;
  readonly port?: number;
  readonly path: string;
  readonly query?: string;
  readonly fragment?: string;
}

const URI = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;

function decode(s: string): string {
  return decodeURIComponent(s.replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
}

export function parseUrl(url: string): UrlParts {
  const m = URI.exec(url);
  if (m === null) throw new Error(`not a URL: ${url}`);
  const [, scheme, authority, path = '', query, fragment] = m;
  let userInfo: string | undefined;
  let host: string | undefined;
  let port: number | undefined;
  if (authority !== undefined) {
    const at = authority.lastIndexOf('@');
    userInfo = at >= 0 ? authority.slice(0, at) : undefined;
    const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
    const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
    host = hp?.[1] === '' ? undefined : hp?.[1];
    port = hp?.[2] === undefined || hp[2] === '' ? undefined : Number(hp[2]);
  }
  return {
    ...(scheme === undefined ? {} : { scheme }),
    ...(userInfo === undefined ? {} : { userInfo: decode(userInfo) }),
    ...(host === undefined ? {} : { host }),
    ...(port === undefined ? {} : { port }),
    path: decode(path),
    ...(query === undefined ? {} : { query: decode(query) }),
    ...(fragment === undefined ? {} : { fragment: decode(fragment) }),
  };
}

/** Java's URLEncoder (UTF-8): letters, digits and .-*_ stay, space becomes '+', the rest %XX. */
export function encodeParam(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      if (/[A-Za-z0-9.*_-]/.test(c)) return c;
      if (c === ' ') return '+';
      return `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

export const decodeParam = (s: string): string => decode(s.replace(/\+/g, ' '));

const oneUrl = (
  returns: typeof STRING | typeof INTEGER,
  part: (p: UrlParts) => SqlValue,
): FunctionOverload => ({
  params: [{ name: 'input', type: STRING }],
  returns,
  invoke: ([u]) => part(parseUrl(u as string)),
});

function urlFunction(name: string, description: string, overloads: readonly FunctionOverload[]): SqlFunction {
  return { name, category: 'URL', description, overloads };
}

export const urlFunctions: readonly SqlFunction[] = [
  urlFunction(
    'URL_ENCODE_PARAM',
    'Escapes text for a URL query parameter (application/x-www-form-urlencoded).',
    [
      {
        params: [{ name: 'input', type: STRING }],
        returns: STRING,
        invoke: ([s]) => encodeParam(s as string),
      },
    ],
  ),
  urlFunction('URL_DECODE_PARAM', 'Unescapes a URL query parameter.', [
    { params: [{ name: 'input', type: STRING }], returns: STRING, invoke: ([s]) => decodeParam(s as string) },
  ]),
  urlFunction('URL_EXTRACT_FRAGMENT', 'The fragment of a URL (after #).', [
    oneUrl(STRING, (p) => p.fragment ?? null),
  ]),
  urlFunction('URL_EXTRACT_HOST', 'The host of a URL.', [oneUrl(STRING, (p) => p.host ?? null)]),
  urlFunction('URL_EXTRACT_PATH', 'The path of a URL.', [oneUrl(STRING, (p) => p.path)]),
  urlFunction('URL_EXTRACT_PORT', 'The port of a URL, NULL when it has none.', [
    oneUrl(INTEGER, (p) => p.port ?? null),
  ]),
  urlFunction('URL_EXTRACT_PROTOCOL', 'The protocol (scheme) of a URL.', [
    oneUrl(STRING, (p) => p.scheme ?? null),
  ]),
  urlFunction('URL_EXTRACT_QUERY', 'The query of a URL (after ?).', [oneUrl(STRING, (p) => p.query ?? null)]),
  urlFunction('URL_EXTRACT_PARAMETER', 'The value of the first query parameter of that name.', [
    {
      params: [
        { name: 'input', type: STRING },
        { name: 'paramToFind', type: STRING },
      ],
      returns: STRING,
      invoke: ([u, name]) => {
        const query = parseUrl(u as string).query;
        if (query === undefined) return null;
        for (const pair of query.split('&')) {
          const eq = pair.indexOf('=');
          const key = eq < 0 ? pair : pair.slice(0, eq);
          if (key === name) return eq < 0 ? null : pair.slice(eq + 1);
        }
        return null;
      },
    },
  ]),
];

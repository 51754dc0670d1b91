// `venice certs create`: a local certificate authority, and server and client certificates it signs,
// written as PEM. Keys are ECDSA P-256 from node:crypto; the certificates are X.509 v3 (RFC 5280),
// encoded by der.ts and signed with node:crypto, so no OpenSSL or other tool is needed.
import crypto from 'node:crypto';
import {
  bitString,
  boolean,
  explicit,
  implicit,
  integer,
  objectIdentifier,
  octetString,
  sequence,
  set,
  time,
  utf8String,
} from './der.js';

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** keyUsage bits, numbered from the most significant bit of the first byte (RFC 5280 4.2.1.3). */
const KEY_USAGE = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;

export interface Issued {
  /** The certificate, PEM. */
  cert: string;
  /** Its private key, PKCS#8 PEM. */
  key: string;
}

interface Signer {
  name: Buffer;
  key: crypto.KeyObject;
  keyId: Buffer;
}

export interface CertificateAuthority extends Issued {
  signer: Signer;
}

function distinguishedName(commonName: string): Buffer {
  const attribute = (oid: string, value: string) => set(sequence(objectIdentifier(oid), utf8String(value)));
  return sequence(attribute(OID.organization, 'Venice'), attribute(OID.commonName, commonName));
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value));
}

function keyUsage(...bits: number[]): Buffer {
  let value = 0;
  for (const bit of bits) value |= 0x8000 >> bit;
  const bytes = Buffer.from([value >> 8, value & 0xff]);
  const used = bytes[1] === 0 ? bytes.subarray(0, 1) : bytes;
  const last = used[used.length - 1];
  let unused = 0;
  while (unused < 7 && (last & (1 << unused)) === 0) unused++;
  return bitString(used, unused);
}

function keyIdentifier(publicKeyDer: Buffer): Buffer {
  return crypto.createHash('sha1').update(publicKeyDer).digest();
}

function toPem(der: Buffer, label: string): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function sign(
  subject: Buffer,
  publicKey: crypto.KeyObject,
  signer: Signer | null,
  ownKey: crypto.KeyObject,
  days: number,
  extensions: Buffer[],
): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = keyIdentifier(spki);
  const issuer = signer ?? { name: subject, key: ownKey, keyId };
  const algorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + days * 86_400_000);
  const serial = crypto.randomBytes(16);
  serial[0] &= 0x7f;
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(serial),
    algorithm,
    issuer.name,
    sequence(time(notBefore), time(notAfter)),
    subject,
    spki,
    explicit(
      3,
      sequence(
        ...extensions,
        extension(OID.subjectKeyIdentifier, false, octetString(keyId)),
        extension(OID.authorityKeyIdentifier, false, sequence(implicit(0, issuer.keyId))),
      ),
    ),
  );
  const signature = crypto.sign('sha256', tbs, issuer.key);
  return sequence(tbs, algorithm, bitString(signature));
}

function newKeyPair(): crypto.KeyPairKeyObjectResult {
  return crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

function privatePem(key: crypto.KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export function createAuthority(commonName: string, days: number): CertificateAuthority {
  const { publicKey, privateKey } = newKeyPair();
  const name = distinguishedName(commonName);
  const der = sign(name, publicKey, null, privateKey, days, [
    extension(OID.basicConstraints, true, sequence(boolean(true), integer(0))),
    extension(OID.keyUsage, true, keyUsage(KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign)),
  ]);
  const keyId = keyIdentifier(publicKey.export({ type: 'spki', format: 'der' }));
  return {
    cert: toPem(der, 'CERTIFICATE'),
    key: privatePem(privateKey),
    signer: { name, key: privateKey, keyId },
  };
}

/** A name in subjectAltName: an IP address (v4 or v6) or a DNS name. */
function altName(host: string): Buffer {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) return implicit(7, Buffer.from(v4.slice(1).map(Number)));
  if (host.includes(':')) return implicit(7, ipv6Bytes(host));
  return implicit(2, Buffer.from(host, 'ascii'));
}

function ipv6Bytes(address: string): Buffer {
  const [head, tail = ''] = address.split('::');
  const groups = (text: string) => (text === '' ? [] : text.split(':').map((group) => parseInt(group, 16)));
  const front = groups(head);
  const back = address.includes('::') ? groups(tail) : [];
  const all = [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
  return Buffer.from(all.flatMap((group) => [group >> 8, group & 0xff]));
}

/** A server certificate for these names (the first is its common name), signed by the authority. */
export function issueServer(authority: CertificateAuthority, hosts: readonly string[], days: number): Issued {
  const { publicKey, privateKey } = newKeyPair();
  const der = sign(distinguishedName(hosts[0]), publicKey, authority.signer, privateKey, days, [
    extension(OID.basicConstraints, true, sequence()),
    extension(OID.keyUsage, true, keyUsage(KEY_USAGE.digitalSignature, KEY_USAGE.keyEncipherment)),
    extension(OID.extKeyUsage, false, sequence(objectIdentifier(OID.serverAuth))),
    extension(OID.subjectAltName, false, sequence(...hosts.map(altName))),
  ]);
  return { cert: toPem(der, 'CERTIFICATE'), key: privatePem(privateKey) };
}

/** A client certificate (TLS client authentication, as the broker's mTLS listener asks). */
export function issueClient(authority: CertificateAuthority, name: string, days: number): Issued {
  const { publicKey, privateKey } = newKeyPair();
  const der = sign(distinguishedName(name), publicKey, authority.signer, privateKey, days, [
    extension(OID.basicConstraints, true, sequence()),
    extension(OID.keyUsage, true, keyUsage(KEY_USAGE.digitalSignature)),
    extension(OID.extKeyUsage, false, sequence(objectIdentifier(OID.clientAuth))),
  ]);
  return { cert: toPem(der, 'CERTIFICATE'), key: privatePem(privateKey) };
}

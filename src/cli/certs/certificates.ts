// `venice certs create`: a local certificate authority, and server and client certificates it signs,
// written as PEM. The certificates are X.509 v3 (RFC 5280) built and signed by node-forge, a maintained
// library, so no OpenSSL or other tool is needed. Keys are RSA 2048 made by node:crypto (forge's
// pure-JavaScript key generation takes seconds) and written as PKCS#8 PEM, which Node, OpenSSL
// (kcat, librdkafka) and Java all read.
import crypto from 'node:crypto';
import net from 'node:net';
import forge from 'node-forge';

export interface Issued {
  /** The certificate, PEM. */
  cert: string;
  /** Its private key, PKCS#8 PEM. */
  key: string;
}

interface Signer {
  subject: forge.pki.CertificateField[];
  key: forge.pki.rsa.PrivateKey;
  /** The authority's subjectKeyIdentifier, as forge's binary string. */
  keyId: string;
}

export interface CertificateAuthority extends Issued {
  signer: Signer;
}

interface KeyPair {
  /** PKCS#8 PEM, as written to the key file. */
  pem: string;
  privateKey: forge.pki.rsa.PrivateKey;
  publicKey: forge.pki.rsa.PublicKey;
}

function newKeyPair(): KeyPair {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem);
  return { pem, privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

// @types/node-forge calls this field a tag class, but forge reads it as the value's universal type.
const UTF8_STRING = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;

function distinguishedName(commonName: string): forge.pki.CertificateField[] {
  return [
    { shortName: 'O', value: 'Venice', valueTagClass: UTF8_STRING },
    { shortName: 'CN', value: commonName, valueTagClass: UTF8_STRING },
  ];
}

/** 128 random bits, positive and without a leading zero byte (RFC 5280 4.1.2.2), as hex. */
function serialNumber(): string {
  const serial = crypto.randomBytes(16);
  serial[0] = 0x40 | (serial[0] & 0x3f);
  return serial.toString('hex');
}

function toPem(certificate: forge.pki.Certificate): string {
  // forge writes CRLF line ends; the other PEM files (and most tools' output) use LF.
  return forge.pki.certificateToPem(certificate).replace(/\r\n/g, '\n');
}

/** A certificate for `subject`'s key pair, signed by `signer` (or by itself when null). */
function sign(
  subject: forge.pki.CertificateField[],
  keys: KeyPair,
  signer: Signer | null,
  days: number,
  extensions: object[],
): forge.pki.Certificate {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = keys.publicKey;
  certificate.serialNumber = serialNumber();
  // A minute back, so a client whose clock is a little behind still accepts it at once.
  const notBefore = new Date(Date.now() - 60_000);
  certificate.validity.notBefore = notBefore;
  certificate.validity.notAfter = new Date(notBefore.getTime() + days * 86_400_000);
  certificate.setSubject(subject);
  certificate.setIssuer(signer?.subject ?? subject);
  certificate.setExtensions([
    ...extensions,
    { name: 'subjectKeyIdentifier' },
    // `true` means this certificate's own key identifier: right for the self-signed authority.
    { name: 'authorityKeyIdentifier', keyIdentifier: signer?.keyId ?? true },
  ]);
  certificate.sign(signer?.key ?? keys.privateKey, forge.md.sha256.create());
  return certificate;
}

export function createAuthority(commonName: string, days: number): CertificateAuthority {
  const keys = newKeyPair();
  const subject = distinguishedName(commonName);
  const certificate = sign(subject, keys, null, days, [
    { name: 'basicConstraints', critical: true, cA: true, pathLenConstraint: 0 },
    { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true },
  ]);
  return {
    cert: toPem(certificate),
    key: keys.pem,
    signer: { subject, key: keys.privateKey, keyId: certificate.generateSubjectKeyIdentifier().getBytes() },
  };
}

/** A name in subjectAltName: an IP address (v4 or v6) or a DNS name. */
function altName(host: string): { type: number; value?: string; ip?: string } {
  return net.isIP(host) === 0 ? { type: 2, value: host } : { type: 7, ip: host };
}

/** A server certificate for these names (the first is its common name), signed by the authority. */
export function issueServer(authority: CertificateAuthority, hosts: readonly string[], days: number): Issued {
  const keys = newKeyPair();
  const certificate = sign(distinguishedName(hosts[0]), keys, authority.signer, days, [
    { name: 'basicConstraints', critical: true, cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: hosts.map(altName) },
  ]);
  return { cert: toPem(certificate), key: keys.pem };
}

/** A client certificate (TLS client authentication, as the broker's mTLS listener asks). */
export function issueClient(authority: CertificateAuthority, name: string, days: number): Issued {
  const keys = newKeyPair();
  const certificate = sign(distinguishedName(name), keys, authority.signer, days, [
    { name: 'basicConstraints', critical: true, cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  return { cert: toPem(certificate), key: keys.pem };
}

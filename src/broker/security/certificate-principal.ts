// The principal of a TLS client: Kafka's default principal builder takes the certificate's subject as
// an RFC 2253 distinguished name ("User:CN=alice,OU=eng,O=Acme"), most specific part first.
import type tls from 'node:tls';
import { ANONYMOUS_PRINCIPAL, userPrincipal } from './principal.js';

/** User:ANONYMOUS when the client sent no certificate (ssl.client.auth=requested or none). */
export function certificatePrincipal(socket: tls.TLSSocket): string {
  const certificate = socket.getPeerX509Certificate();
  return certificate ? userPrincipal(distinguishedName(certificate.subject)) : ANONYMOUS_PRINCIPAL;
}

/**
 * Node gives the subject one attribute a line, in certificate order, with values escaped as RFC 2253
 * asks; RFC 2253 lists the parts in reverse, separated by commas.
 */
export function distinguishedName(subject: string): string {
  return subject
    .split('\n')
    .filter((line) => line !== '')
    .reverse()
    .join(',');
}

// How every command that talks to an HTTP component (registry, sql, connect, console) logs in: the
// --http-user, --http-password and --http-ca flags, else VENICE_HTTP_USER / _PASSWORD / _CA, else
// http.user / http.password / http.ca in venice.yaml (the settings table's order). Their refusals (401,
// 403) and an untrusted certificate become errors that name the setting to set. The password is only
// ever put in the Authorization header: no message, hint or help text shows it.
import type { Command } from 'commander';
import { HTTP_SETTINGS } from '../config/http-settings.js';
import type { HttpClientConfig } from '../config/http.js';
import { clientFetch } from '../service/http-client.js';
import { ServiceStartError } from '../service/listen.js';
import { settingHelp } from './config-options.js';
import { httpSettings } from './http-settings.js';
import { CliError, ExitCode } from './output.js';

/** The flags addHttpClientOptions registers, as commander hands them over (and --config, if any). */
export interface HttpClientFlags {
  config?: string;
  httpUser?: string;
  httpPassword?: string;
  httpCa?: string;
}

const USER = HTTP_SETTINGS['http.user'];
const PASSWORD = HTTP_SETTINGS['http.password'];
const CA = HTTP_SETTINGS['http.ca'];
const CLIENT_SETTINGS = [USER, PASSWORD, CA];

/** --http-user, --http-password and --http-ca, with the help of their settings rows. */
export function addHttpClientOptions(command: Command): Command {
  for (const setting of CLIENT_SETTINGS)
    command.option(`${setting.flag} ${setting.flagValue}`, settingHelp(setting));
  return command;
}

/** The credentials and CA a command uses: its flags over the variables over venice.yaml. */
export function httpClientConfig(flags: HttpClientFlags = {}): HttpClientConfig {
  const { config, httpUser, httpPassword, httpCa } = flags;
  return httpSettings({ config, httpUser, httpPassword, httpCa }).client;
}

/** The fetch of a command that calls an HTTP component: the configured user and trusted CA. */
export function cliFetch(flags: HttpClientFlags = {}): typeof fetch {
  try {
    return clientFetch(httpClientConfig(flags));
  } catch (error) {
    if (error instanceof ServiceStartError) throw new CliError(error.message, error.hint, ExitCode.usage);
    throw error;
  }
}

const LOGIN_SETTINGS =
  `pass ${USER.flag} ${USER.flagValue} and ${PASSWORD.flag} ${PASSWORD.flagValue}, ` +
  `or set ${USER.env} and ${PASSWORD.env}, or ${USER.yaml} and ${PASSWORD.yaml} in venice.yaml (docs/security.md)`;
const CA_SETTINGS = `${CA.flag} <ca.pem> (or set ${CA.env}, or ${CA.yaml} in venice.yaml)`;

/**
 * A 401 or 403 from `what` ("the schema registry at http://..."), as an error naming the settings that
 * log in; null for other statuses. `said` is the server's own message (it never holds a password).
 */
export function httpRefusal(
  what: string,
  status: number,
  said: string,
  flags: HttpClientFlags = {},
): CliError | null {
  if (status === 401) {
    const user = httpClientConfig(flags).user;
    if (user === null)
      return new CliError(
        `${what} asks for a user and password (HTTP 401)`,
        LOGIN_SETTINGS,
        ExitCode.failure,
      );
    return new CliError(
      `${what} did not accept the user ${user} (HTTP 401): wrong name or password`,
      `check the user and password given (${LOGIN_SETTINGS.replace(/^pass /, '')}); ` +
        '`venice http-users add <name>` sets a new password',
      ExitCode.failure,
    );
  }
  if (status === 403)
    return new CliError(
      `${what} refused the request (HTTP 403): ${said}`,
      `to log in as another user, ${LOGIN_SETTINGS}`,
      ExitCode.failure,
    );
  return null;
}

/** Node's codes for a server certificate the client does not trust (or that names another host). */
const UNTRUSTED_CERTIFICATE = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The certificate problem somewhere in an error's causes, or null. */
function certificateProblem(error: unknown): string | null {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth += 1) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code !== undefined && UNTRUSTED_CERTIFICATE.has(code)) return code;
    cause = cause.cause;
  }
  return null;
}

/** A failed connection to `what` because its HTTPS certificate is not trusted, or null. */
export function tlsTrustFailure(what: string, error: unknown, flags: HttpClientFlags = {}): CliError | null {
  const code = certificateProblem(error);
  if (code === null) return null;
  const ca = httpClientConfig(flags).ca;
  const hint =
    code === 'ERR_TLS_CERT_ALTNAME_INVALID'
      ? 'use a host name its certificate names, or make one for this name with `venice certs create`'
      : ca === null
        ? `pass ${CA_SETTINGS} with the CA that signed its certificate: the ca.pem \`venice certs create\` made`
        : `the CA ${ca} did not sign its certificate: pass the right one with ${CA_SETTINGS}`;
  return new CliError(`cannot trust the HTTPS certificate of ${what} (${code})`, hint, ExitCode.unavailable);
}

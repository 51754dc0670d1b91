// The registry's errors, with the HTTP status and `error_code` Confluent's Schema Registry answers
// with, so clients written for it (serializers, UIs, scripts) react the same way.

export class RegistryError extends Error {
  override name = 'RegistryError';
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const ErrorCodes = {
  subjectNotFound: 40401,
  versionNotFound: 40402,
  schemaNotFound: 40403,
  subjectSoftDeleted: 40404,
  subjectNotSoftDeleted: 40405,
  versionSoftDeleted: 40406,
  versionNotSoftDeleted: 40407,
  subjectCompatibilityNotConfigured: 40408,
  subjectModeNotConfigured: 40409,
  // Confluent 7 answers an incompatible schema with error_code 409 (Confluent 8 moved to 40901).
  incompatibleSchema: 409,
  invalidSchema: 42201,
  invalidVersion: 42202,
  invalidCompatibilityLevel: 42203,
  invalidMode: 42204,
  operationNotPermitted: 42205,
  referenceExists: 42206,
  idDoesNotMatch: 42207,
  invalidSubject: 42208,
  storeError: 50001,
  operationTimeout: 50002,
  forwardingFailed: 50003,
  unknownLeader: 50004,
} as const;

export const subjectNotFound = (subject: string) =>
  new RegistryError(404, ErrorCodes.subjectNotFound, `Subject '${subject}' not found.`);

export const versionNotFound = (version: number | string) =>
  new RegistryError(404, ErrorCodes.versionNotFound, `Version ${version} not found.`);

export const schemaNotFound = (id?: number) =>
  new RegistryError(
    404,
    ErrorCodes.schemaNotFound,
    id === undefined ? 'Schema not found' : `Schema ${id} not found`,
  );

export const subjectSoftDeleted = (subject: string) =>
  new RegistryError(
    404,
    ErrorCodes.subjectSoftDeleted,
    `Subject '${subject}' was soft deleted. Set permanent=true to delete permanently`,
  );

export const subjectNotSoftDeleted = (subject: string) =>
  new RegistryError(
    404,
    ErrorCodes.subjectNotSoftDeleted,
    `Subject '${subject}' was not deleted first before being permanently deleted`,
  );

export const versionSoftDeleted = (subject: string, version: number | string) =>
  new RegistryError(
    404,
    ErrorCodes.versionSoftDeleted,
    `Subject '${subject}' Version ${version} was soft deleted. Set permanent=true to delete permanently`,
  );

export const versionNotSoftDeleted = (subject: string, version: number | string) =>
  new RegistryError(
    404,
    ErrorCodes.versionNotSoftDeleted,
    `Subject '${subject}' Version ${version} was not deleted first before being permanently deleted`,
  );

export const compatibilityNotConfigured = (subject: string) =>
  new RegistryError(
    404,
    ErrorCodes.subjectCompatibilityNotConfigured,
    `Subject '${subject}' does not have subject-level compatibility configured`,
  );

export const modeNotConfigured = (subject: string) =>
  new RegistryError(
    404,
    ErrorCodes.subjectModeNotConfigured,
    `Subject '${subject}' does not have subject-level mode configured`,
  );

export const incompatibleSchema = (subject: string, messages: readonly string[]) =>
  new RegistryError(
    409,
    ErrorCodes.incompatibleSchema,
    `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: ` +
      `[${messages.join(', ')}]`,
  );

export const invalidSchema = (detail: string) =>
  new RegistryError(422, ErrorCodes.invalidSchema, `Invalid schema: ${detail}`);

export const invalidVersion = (version: string) =>
  new RegistryError(
    422,
    ErrorCodes.invalidVersion,
    `The specified version '${version}' is not a valid version id. ` +
      'Allowed values are between [1, 2^31-1] and the string "latest"',
  );

export const invalidCompatibilityLevel = () =>
  new RegistryError(
    422,
    ErrorCodes.invalidCompatibilityLevel,
    'Invalid compatibility level. Valid values are none, backward, forward, full, ' +
      'backward_transitive, forward_transitive, and full_transitive',
  );

export const invalidMode = () =>
  new RegistryError(
    422,
    ErrorCodes.invalidMode,
    'Invalid mode. Valid values are READWRITE, READONLY, READONLY_OVERRIDE, and IMPORT.',
  );

export const operationNotPermitted = (message: string) =>
  new RegistryError(422, ErrorCodes.operationNotPermitted, message);

export const referenceExists = (message: string) =>
  new RegistryError(422, ErrorCodes.referenceExists, message);

export const idDoesNotMatch = (message: string) => new RegistryError(422, ErrorCodes.idDoesNotMatch, message);

export const invalidSubject = (subject: string) =>
  new RegistryError(422, ErrorCodes.invalidSubject, `Invalid subject ${JSON.stringify(subject)}`);

export const storeError = (message: string) => new RegistryError(500, ErrorCodes.storeError, message);

export const operationTimeout = (message: string) =>
  new RegistryError(500, ErrorCodes.operationTimeout, message);

export const forwardingFailed = (message: string) =>
  new RegistryError(500, ErrorCodes.forwardingFailed, message);

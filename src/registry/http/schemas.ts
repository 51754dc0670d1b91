// JSON schemas for the inputs of the HTTP API. Fastify validates (and coerces query strings) with
// them; a body that fails validation is answered 422, like Confluent's constraint violations.

export const subjectParams = {
  type: 'object',
  required: ['subject'],
  properties: { subject: { type: 'string' } },
} as const;

export const subjectVersionParams = {
  type: 'object',
  required: ['subject', 'version'],
  properties: { subject: { type: 'string' }, version: { type: 'string' } },
} as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string' } },
} as const;

const flag = { type: 'boolean', default: false } as const;

export const deletedQuery = {
  type: 'object',
  properties: { deleted: flag },
} as const;

export const listSubjectsQuery = {
  type: 'object',
  properties: { deleted: flag, subjectPrefix: { type: 'string' } },
} as const;

export const listVersionsQuery = {
  type: 'object',
  properties: { deleted: flag, deletedOnly: flag },
} as const;

export const permanentQuery = {
  type: 'object',
  properties: { permanent: flag },
} as const;

export const verboseQuery = {
  type: 'object',
  properties: { verbose: flag },
} as const;

export const defaultToGlobalQuery = {
  type: 'object',
  properties: { defaultToGlobal: flag },
} as const;

export const forceQuery = {
  type: 'object',
  properties: { force: flag },
} as const;

export const schemaByIdQuery = {
  type: 'object',
  properties: { subject: { type: 'string' }, fetchMaxId: flag, deleted: flag },
} as const;

/** Register, lookup and compatibility bodies. `schema` is checked by the registry (42201 when empty). */
export const schemaRequestBody = {
  type: 'object',
  properties: {
    schema: { type: 'string' },
    schemaType: { type: 'string' },
    references: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'subject', 'version'],
        properties: {
          name: { type: 'string' },
          subject: { type: 'string' },
          version: { type: 'integer' },
        },
      },
    },
    id: { type: 'integer' },
    version: { type: 'integer' },
  },
} as const;

export const configBody = {
  type: 'object',
  properties: { compatibility: { type: 'string' }, compatibilityLevel: { type: 'string' } },
} as const;

export const modeBody = {
  type: 'object',
  properties: { mode: { type: 'string' } },
} as const;

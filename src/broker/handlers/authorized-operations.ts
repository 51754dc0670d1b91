// The authorized operations a describe reports when the client asks for them (KIP-430). Venice has no
// authorizer, and Kafka without one reports every operation the resource type supports; a client that
// did not ask gets Kafka's "not requested" value.

/** Kafka's AclOperation codes; a response sets bit (1 << code) for each operation allowed. */
const AclOperation = {
  read: 3,
  write: 4,
  create: 5,
  delete: 6,
  alter: 7,
  describe: 8,
  clusterAction: 9,
  describeConfigs: 10,
  alterConfigs: 11,
  idempotentWrite: 12,
} as const;

type Operation = keyof typeof AclOperation;

/** What each resource type supports, as Kafka lists it. */
const SUPPORTED: Record<'topic' | 'group' | 'cluster', readonly Operation[]> = {
  topic: ['read', 'write', 'create', 'describe', 'delete', 'alter', 'describeConfigs', 'alterConfigs'],
  group: ['read', 'describe', 'delete'],
  cluster: [
    'create',
    'clusterAction',
    'describeConfigs',
    'alterConfigs',
    'idempotentWrite',
    'alter',
    'describe',
  ],
};

export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

export function authorizedOperations(resource: keyof typeof SUPPORTED, requested: boolean): number {
  if (!requested) return AUTHORIZED_OPERATIONS_OMITTED;
  return SUPPORTED[resource].reduce((bits, operation) => bits | (1 << AclOperation[operation]), 0);
}

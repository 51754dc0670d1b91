// Validates Kubernetes objects against the official OpenAPI schemas, as shipped (compiled) by the
// kubernetes-models package: types, formats, required fields. It is a dev dependency loaded on demand,
// so a checkout without it skips the schema test with the install command instead of failing to compile.
// 4.5.1 rather than 5.x: 5.x declares Node >= 22, and `npm ci` on Node 20 (supported) would warn for it.
export const SCHEMA_PACKAGE = 'kubernetes-models@4.5.1';

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** apiVersion/kind → the package's module for it. */
const MODULES: Readonly<Record<string, string>> = {
  'v1/ConfigMap': 'v1/ConfigMap',
  'v1/Secret': 'v1/Secret',
  'v1/Service': 'v1/Service',
  'apps/v1/StatefulSet': 'apps/v1/StatefulSet',
  'apps/v1/Deployment': 'apps/v1/Deployment',
};

export type SchemaValidator = (object: { apiVersion: string; kind: string }) => void;

/** A validator, or why there is none (the package is not installed). */
export async function loadSchemaValidator(): Promise<SchemaValidator | string> {
  const models = new Map<string, ModelClass>();
  try {
    for (const [key, module] of Object.entries(MODULES)) {
      // A computed specifier: the type checker does not require the package to be installed.
      const specifier = `kubernetes-models/${module}`;
      const loaded = (await import(specifier)) as Record<string, ModelClass>;
      const kind = key.split('/').pop()!;
      models.set(key, loaded[kind]);
    }
  } catch (error) {
    return `${SCHEMA_PACKAGE} is not installed (npm install --save-dev ${SCHEMA_PACKAGE}): ${(error as Error).message}`;
  }
  return (object) => {
    const Model = models.get(`${object.apiVersion}/${object.kind}`);
    if (Model === undefined) throw new Error(`no schema here for ${object.apiVersion} ${object.kind}`);
    new Model(object).validate();
  };
}

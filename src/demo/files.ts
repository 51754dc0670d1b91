// Which pipeline the demo runs: the project's own (a folder made by `venice install --template
// ecommerce`, with sql/ and connectors/), or else the ecommerce template shipped with Venice.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** templates/ecommerce of this installation; the same from src/demo and dist/demo. */
export const ECOMMERCE_TEMPLATE_DIR = fileURLToPath(new URL('../../templates/ecommerce', import.meta.url));

/** The order schema's place in a project, relative to its folder. */
export const ORDER_SCHEMA_PATH = path.join('schemas', 'order.avsc');

export interface DemoFiles {
  /** The folder the files come from. */
  dir: string;
  /** Applied to the SQL engine in name order. */
  sqlFiles: string[];
  /** Kafka Connect connector configs (`{name, config}`), created or updated in name order. */
  connectorFiles: string[];
  orderSchemaFile: string;
}

/** The project's files when it has SQL files of its own, else the template's. */
export function findDemoFiles(projectDir: string, templateDir = ECOMMERCE_TEMPLATE_DIR): DemoFiles {
  const dir = listFiles(path.join(projectDir, 'sql'), '.sql').length > 0 ? projectDir : templateDir;
  const orderSchemaFile = path.join(dir, ORDER_SCHEMA_PATH);
  if (!fs.existsSync(orderSchemaFile))
    throw new Error(
      `the demo needs ${orderSchemaFile}, the schema of the orders it produces: copy it from ${path.join(templateDir, ORDER_SCHEMA_PATH)}`,
    );
  return {
    dir,
    sqlFiles: listFiles(path.join(dir, 'sql'), '.sql'),
    connectorFiles: listFiles(path.join(dir, 'connectors'), '.json'),
    orderSchemaFile,
  };
}

function listFiles(dir: string, extension: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(extension))
    .sort()
    .map((name) => path.join(dir, name));
}

// Where `venice ksql` finds the SQL engine: the URL given, else VENICE_SQL_URL, else this project's
// configuration (venice.yaml, VENICE_* settings: host and ports.sql), else the default.
import { environmentValue } from '../../config/environment.js';
import { loadConfig } from '../../config/load.js';
import { SQL_URL_VARIABLE } from '../../sql/defaults.js';
import { COMPONENT_CATALOG, reachableHost } from '../../supervisor/components.js';
import { reportingConfigErrors } from '../config-options.js';

export function resolveSqlUrl(given?: string): string {
  const url = given?.trim() || environmentValue(process.env, SQL_URL_VARIABLE)?.trim();
  if (url) return /^https?:\/\//.test(url) ? url : `http://${url}`;
  return reportingConfigErrors(() => {
    const config = loadConfig({ catalog: COMPONENT_CATALOG });
    const host = reachableHost(config);
    return `http://${host.includes(':') ? `[${host}]` : host}:${config.ports.sql}`;
  });
}

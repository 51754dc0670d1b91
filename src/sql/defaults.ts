// The sql component's defaults, in a module that loads nothing heavy so the CLI can show them cheaply.
// The port comes from the settings table, like every other default port.
import { DEFAULT_HOST, DEFAULT_PORTS } from '../config/settings.js';

export const DEFAULT_SQL_PORT = DEFAULT_PORTS.sql;
export const DEFAULT_SQL_URL = `http://${DEFAULT_HOST}:${DEFAULT_SQL_PORT}`;
/** ksql.service.id's default in ksqlDB: names the command topic (_confluent-ksql-default__command_topic). */
export const DEFAULT_SERVICE_ID = 'default_';
/** VENICE_SQL_URL: where `venice ksql` finds the server when no URL is given. */
export const SQL_URL_VARIABLE = 'VENICE_SQL_URL';

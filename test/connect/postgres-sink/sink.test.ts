// The sink suite (suite.ts) against the real PostgreSQL at 127.0.0.1:5432 (or VENICE_TEST_POSTGRES_URL).
import { POSTGRES_URL } from './helpers.js';
import { sinkSuite } from './suite.js';

sinkSuite({ url: () => POSTGRES_URL, canTerminateBackends: true });

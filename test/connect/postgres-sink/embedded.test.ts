// The sink suite (suite.ts) against the embedded PostgreSQL (src/postgres: PGlite behind its wire front),
// where sinks write when their config has no connection.url.
import { afterAll, beforeAll } from 'vitest';
import type { RunningPostgres } from '../../../src/postgres/service.js';
import { startTestPostgres } from '../../postgres/helpers.js';
import { sinkSuite } from './suite.js';

let embedded: RunningPostgres;

beforeAll(async () => {
  embedded = await startTestPostgres();
}, 180_000);

afterAll(async () => {
  await embedded?.stop();
});

// The embedded server has one backend behind its front: there is no backend of the sink's own to terminate.
sinkSuite({ url: () => embedded.url, canTerminateBackends: false });

// Entry of the background supervisor process that `venice up` starts. It is run directly rather than
// through the CLI so that it loads only what supervising needs (not commander or the Kafka client).
import fs from 'node:fs';
import { restoreSecrets } from './launch-secrets.js';
import { runSupervisor } from './runner.js';
import { AlreadyRunningError } from './lock.js';
import type { VeniceConfig } from '../config/settings.js';

const flag = process.argv.indexOf('--launch-config');
const launchConfig = flag >= 0 ? process.argv[flag + 1] : undefined;
if (launchConfig === undefined) {
  process.stderr.write('usage: daemon.js --launch-config <file> (started by `venice up`)\n');
  process.exit(2);
}
const lockFlag = process.argv.indexOf('--lock-from');
const lockFrom = lockFlag >= 0 ? Number(process.argv[lockFlag + 1]) : undefined;
const config = JSON.parse(fs.readFileSync(launchConfig, 'utf8')) as VeniceConfig;
// Left out of the file by launch.ts: they come in the environment.
restoreSecrets(config, process.env);
try {
  process.exit(await runSupervisor({ config, foreground: false, lockFrom }));
} catch (error) {
  if (!(error instanceof AlreadyRunningError)) throw error;
  process.stderr.write(`${error.message}\n`); // into supervisor.log, where `venice up` reads it
  process.exit(1);
}

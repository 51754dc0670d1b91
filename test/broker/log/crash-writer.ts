// Child process for the crash test: appends batches to a log forever, reporting acknowledged offsets on
// stdout, until the parent kills it with SIGKILL.
import { openLog, valuesBatch } from './helpers.js';

const dir = process.argv[2];
const log = openLog(dir, { 'segment.bytes': '200000' });
for (let i = 0; ; i++) {
  const result = log.append([valuesBatch(50, `c${i}`)]);
  if (i % 50 === 0) process.stdout.write(`${result.lastOffset}\n`);
}

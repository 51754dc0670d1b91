// `prepare` (run by npm ci, and by npm exec): builds Venice unless dist/ is already newer than every
// source. The first `npx venice` in a clone installs the clone into npm's npx cache, since the
// package's own bin is named venice, and npm runs prepare again there: without this check that meant a
// second full build (about 90 s) before the command ran. `npm test` and the benches always rebuild.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const stamp = path.join(root, 'dist', '.built');
const inputs = [
  'src',
  'bin',
  'templates',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
];

function newestChange(entry) {
  const stats = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs; // a deleted file shows as a change of its folder
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestChange(path.join(entry, name)));
  return newest;
}

const builtAt = fs.statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const changedAt = Math.max(...inputs.map((input) => newestChange(path.join(root, input))));
if (builtAt > changedAt) {
  console.log('Venice is already built (dist/ is newer than the sources).');
} else {
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

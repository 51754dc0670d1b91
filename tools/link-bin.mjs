// Links bin/venice.js as node_modules/.bin/venice, run by `prepare` after the build. `npx venice` looks
// there first; a package never links its own bin, so without this the first `npx venice` in a fresh
// clone installs the clone into npm's npx cache and builds it again (about 90 s) before it runs.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const modules = path.join(root, 'node_modules');
// Installed as another project's dependency, there is no node_modules here and npm links the bin itself.
if (fs.existsSync(modules)) {
  const binDir = path.join(modules, '.bin');
  const link = path.join(binDir, 'venice');
  try {
    fs.mkdirSync(binDir, { recursive: true });
    fs.rmSync(link, { force: true });
    fs.symlinkSync(path.relative(binDir, path.join(root, 'bin', 'venice.js')), link);
  } catch (error) {
    // Not fatal: npx still works, only slower the first time; `node bin/venice.js` always works.
    console.warn(`could not link node_modules/.bin/venice (${error.message}); use node bin/venice.js`);
  }
}

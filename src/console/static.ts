// Serves the built UI (Vite's output) from a folder: files by path, index.html for every other GET
// that is not under /api/ (the UI routes in the page itself). Hashed assets are cached for good.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

const MISSING_UI =
  '<!doctype html><title>Venice console</title><p>The console UI is not built. Run <code>npm run build</code> ' +
  'in the Venice checkout, then reload. The JSON API is under <a href="/api/overview">/api/</a>.</p>';

async function readFileIfInside(root: string, requested: string): Promise<Buffer | null> {
  const file = path.resolve(root, `.${requested}`);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  try {
    return await fs.readFile(file);
  } catch {
    return null;
  }
}

export function serveUi(app: FastifyInstance, uiDir: string): void {
  const root = path.resolve(uiDir);
  app.get('/*', async (request, reply) => {
    const pathname = decodeURIComponent(request.url.split('?')[0]);
    if (pathname.startsWith('/api/')) {
      return reply
        .code(404)
        .send({ error: `no API route ${request.method} ${pathname}`, hint: 'see GET /api/' });
    }
    if (pathname !== '/' && !pathname.endsWith('/')) {
      const content = await readFileIfInside(root, pathname);
      if (content !== null) {
        const type = CONTENT_TYPES[path.extname(pathname)] ?? 'application/octet-stream';
        const immutable = pathname.startsWith('/assets/');
        return reply
          .header('content-type', type)
          .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
          .send(content);
      }
      if (path.extname(pathname) !== '') return reply.code(404).send({ error: `no file ${pathname}` });
    }
    const index = await readFileIfInside(root, '/index.html');
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(index ?? MISSING_UI);
  });
}

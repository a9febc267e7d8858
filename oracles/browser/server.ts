/**
 * A static server on 127.0.0.1 for the browser oracles' page: the page itself, convcheck's compiled
 * tfjs translation (dist/oracles/tfjs/translate.js), and the runtime packages' browser builds from
 * node_modules. WebGPU needs a secure context, which http://127.0.0.1 is; a file:// page is not.
 * Only the listed roots are served, and paths cannot climb out of them.
 */
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** The npm packages whose files the page may load. */
export const PAGE_PACKAGES = [
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-webgl',
  '@tensorflow/tfjs-backend-webgpu',
  'onnxruntime-web',
] as const;

export interface StaticServer {
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * A package's root directory, found from wherever node resolves it. Packages whose "exports" hide
 * package.json (onnxruntime-web) are found through node_modules lookup paths instead.
 */
function packageRoot(pkg: string): string | undefined {
  const require = createRequire(import.meta.url);
  for (const dir of require.resolve.paths(pkg) ?? []) {
    const root = join(dir, pkg);
    if (existsSync(join(root, 'package.json'))) return root;
  }
  return undefined;
}

/** Serves `/page/*` from pageDir, `/dist/*` from distDir and `/nm/<package>/*` from the packages above. */
export async function startServer(pageDir: string, distDir: string, extraRoots: ReadonlyArray<readonly [string, string]> = []): Promise<StaticServer> {
  const roots: Array<readonly [string, string]> = [['/page/', pageDir], ['/dist/', distDir], ...extraRoots];
  for (const pkg of PAGE_PACKAGES) {
    const root = packageRoot(pkg);
    if (root) roots.push([`/nm/${pkg}/`, root]);
  }
  const server: Server = createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const path = url === '/' ? '/page/index.html' : url;
    const hit = roots.find(([prefix]) => path.startsWith(prefix));
    const file = hit ? normalize(join(hit[1], path.slice(hit[0].length))) : undefined;
    if (!hit || !file || !file.startsWith(hit[1] + sep)) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('static server: no port');
  return {
    origin: `http://127.0.0.1:${addr.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

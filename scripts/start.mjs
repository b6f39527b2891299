#!/usr/bin/env node
/**
 * `npm start`: builds the client when it is missing or older than its sources, then runs the
 * server (TypeScript through tsx) and passes Ctrl-C / SIGTERM on so it can stop cleanly.
 * Plain JavaScript on purpose: it must run before anything is built.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`整治一张图 needs Node.js 20.19 or newer (this is ${process.versions.node}): install a current Node.js 20 or 22.`);
  process.exit(1);
}

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs);
}

// The client bundles its own sources, the collection registry it reads labels from, and the
// installed packages (package-lock.json changes when they do).
const built = join(root, 'dist/client/index.html');
const sources = ['client', 'vite.config.ts', 'server/collections/registry.ts', 'server/auth/policy.ts', 'package-lock.json'].map((p) => join(root, p)).filter(existsSync);
if (!existsSync(built) || sources.some((p) => newest(p) > statSync(built).mtimeMs)) {
  console.log('building the map client (vite build) …');
  const vite = join(root, 'node_modules/vite/bin/vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('整治一张图 cannot start: building the client failed (see above); run `npm install` and try again.');
    process.exit(1);
  }
}

const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  // The server stops on the signal itself (it shares the terminal's process group for Ctrl-C);
  // this process only makes sure a SIGTERM sent to npm reaches it, and waits for it to finish.
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));

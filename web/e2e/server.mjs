// Starts the real `code-remote serve` for the browser tests, on a free port with a fresh data
// directory, and stops it afterwards. CODE_REMOTE_E2E_URL points the tests at a server that is
// already running instead (nothing is started then).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const STARTUP_TIMEOUT_MS = 120_000;

export async function startServer({ args = [] } = {}) {
  if (process.env.CODE_REMOTE_E2E_URL) {
    return { url: process.env.CODE_REMOTE_E2E_URL.replace(/\/$/, ''), stop: async () => undefined, log: () => '' };
  }
  const bin = process.env.CODE_REMOTE_BIN ?? path.join(repoRoot, 'target', 'debug', 'code-remote');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'code-remote-e2e-'));
  const extra = [...args, ...(process.env.CODE_REMOTE_E2E_ARGS ?? '').split(' ').filter(Boolean)];
  const child = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the server did not say where it listens within ${STARTUP_TIMEOUT_MS} ms:\n${output}`)),
      STARTUP_TIMEOUT_MS,
    );
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/[^\s"',]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ''));
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${bin}: ${error.message} (build it with cargo build -p code-remote, or set CODE_REMOTE_BIN)`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    log: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

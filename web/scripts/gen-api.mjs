// Generates the web app's wire types and zod schemas (src/lib/api/generated/) from the API's
// OpenAPI document (openapi.json, written by `code-remote openapi`; `scripts/gen-api` at the
// repository's root does both steps). With --check it writes nothing and fails when the
// committed files are not what the document gives, so the page cannot drift from the server.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@hey-api/openapi-ts';

const web = join(import.meta.dirname, '..');
const committed = join(web, 'src/lib/api/generated');
const check = process.argv.includes('--check');

/**
 * The API's integers are counts and milliseconds far below 2^53, so the page reads them as
 * numbers; `format: int64` would make the generator parse them as BigInt.
 */
function numbersNotBigInts(node) {
  if (Array.isArray(node)) return node.map(numbersNotBigInts);
  if (node === null || typeof node !== 'object') return node;
  const copy = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'format' && value === 'int64') continue;
    copy[key] = numbersNotBigInts(value);
  }
  return copy;
}

const document = numbersNotBigInts(JSON.parse(await readFile(join(web, 'openapi.json'), 'utf8')));
const output = check ? await mkdtemp(join(tmpdir(), 'code-remote-api-')) : committed;
await createClient({
  input: document,
  output: { path: output, format: false, lint: false },
  plugins: ['@hey-api/typescript', 'zod'],
  logs: { level: 'silent' },
});

if (check) {
  const stale = [];
  const expected = (await readdir(output)).sort();
  const actual = (await readdir(committed).catch(() => [])).sort();
  if (expected.join() !== actual.join()) stale.push(`files: ${actual.join(', ')} instead of ${expected.join(', ')}`);
  for (const name of expected) {
    const want = await readFile(join(output, name), 'utf8');
    const have = await readFile(join(committed, name), 'utf8').catch(() => null);
    if (want !== have) stale.push(name);
  }
  await rm(output, { recursive: true, force: true });
  if (stale.length > 0) {
    console.error(`src/lib/api/generated is stale (${stale.join('; ')}): run scripts/gen-api`);
    process.exit(1);
  }
  console.log('src/lib/api/generated matches openapi.json');
}

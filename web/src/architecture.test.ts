import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = path.dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

describe('architecture', () => {
  it('features do not import each other, and lib and components import no feature', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(src)) {
      const relative = path.relative(src, file);
      const own = /^features\/([^/]+)\//.exec(relative)?.[1];
      const imports = [...readFileSync(file, 'utf8').matchAll(/from '@\/features\/([^/']+)/g)].map((m) => m[1]);
      for (const feature of imports) {
        const allowed = relative.startsWith('app/') || feature === own;
        if (!allowed) offenders.push(`${relative} imports features/${feature}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the first bundle does not import Monaco (it is loaded lazily by the editor)', () => {
    const eager = sourceFiles(src).filter(
      (file) => !file.endsWith('.test.ts') && /from 'monaco-editor|import 'monaco-editor/.test(readFileSync(file, 'utf8')),
    );
    expect(eager.map((file) => path.relative(src, file))).toEqual(['features/editor/components/monaco.ts']);
  });
});

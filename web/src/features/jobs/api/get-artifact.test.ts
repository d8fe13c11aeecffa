import { describe, expect, it } from 'vitest';
import { parseServerMessage } from '@/lib/protocol';
import { JOB_ID } from '@/testing/fixtures';
import { artifactPath, isInlineImage } from './get-artifact';

const artifact = (name: string, media_type: string) => ({ name, media_type, size_bytes: 10, sha256: 'ab' });

describe('artifacts', () => {
  it('shows raster images inline and never an SVG', () => {
    expect(isInlineImage(artifact('figure-1.png', 'image/png'))).toBe(true);
    expect(isInlineImage(artifact('plot.svg', 'image/svg+xml'))).toBe(false);
    expect(isInlineImage(artifact('page.html', 'application/octet-stream'))).toBe(false);
  });

  it('escapes names in the path', () => {
    expect(artifactPath('j1', 'a b/c.png')).toBe('/executions/j1/artifacts/a%20b%2Fc.png');
  });

  it('parses the artifact event of the WebSocket', () => {
    const parsed = parseServerMessage(
      JSON.stringify({ type: 'artifact', job_id: JOB_ID, seq: 4, artifact: artifact('figure-1.png', 'image/png') }),
    );
    expect(parsed.ok && parsed.message.type === 'artifact' && parsed.message.artifact.name).toBe('figure-1.png');
    expect(parseServerMessage(JSON.stringify({ type: 'artifact', job_id: JOB_ID, seq: 4 })).ok).toBe(false);
  });
});

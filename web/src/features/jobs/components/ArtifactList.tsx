/**
 * The files a run handed back: images (PNG, JPEG, GIF, WebP) inline, other files as downloads
 * with their sizes, and why any were left out.
 */
import { useState } from 'react';
import { formatBytes } from '@/lib/format';
import type { Artifact, ExecutionSummary } from '@/lib/protocol';
import { downloadArtifact, isInlineImage, useImageUrl } from '../api/get-artifact';

function InlineImage({ executionId, artifact }: { executionId: string; artifact: Artifact }) {
  const { url, error } = useImageUrl(executionId, artifact);
  return (
    <figure className="artifact-figure" data-testid="artifact-image" data-name={artifact.name}>
      {url ? (
        <img src={url} alt={`${artifact.name}, made by the program`} />
      ) : (
        <div className="artifact-placeholder muted">{error ? 'Could not load this image.' : 'Loading…'}</div>
      )}
      <figcaption className="muted small">
        {artifact.name} · {formatBytes(artifact.size_bytes)}
      </figcaption>
    </figure>
  );
}

function DownloadLink({ executionId, artifact }: { executionId: string; artifact: Artifact }) {
  const [failed, setFailed] = useState(false);
  const download = () => {
    setFailed(false);
    downloadArtifact(executionId, artifact).catch(() => setFailed(true));
  };
  return (
    <li>
      <button type="button" className="link-button" onClick={download} data-testid="artifact-download">
        {artifact.name}
      </button>{' '}
      <span className="muted small">{formatBytes(artifact.size_bytes)}</span>
      {failed && <span className="notice-error small"> download failed</span>}
    </li>
  );
}

export function ArtifactList({ execution }: { execution: ExecutionSummary }) {
  const artifacts = execution.artifacts ?? [];
  const skipped = execution.artifacts_skipped ?? [];
  if (artifacts.length === 0 && skipped.length === 0) return null;
  const images = artifacts.filter(isInlineImage);
  const files = artifacts.filter((artifact) => !isInlineImage(artifact));
  return (
    <section className="artifacts" aria-label="Files from the program" data-testid="artifacts">
      {images.map((artifact) => (
        <InlineImage key={artifact.name} executionId={execution.id} artifact={artifact} />
      ))}
      {files.length > 0 && (
        <>
          <h3 className="small">Files</h3>
          <ul className="artifact-files">
            {files.map((artifact) => (
              <DownloadLink key={artifact.name} executionId={execution.id} artifact={artifact} />
            ))}
          </ul>
        </>
      )}
      {skipped.length > 0 && (
        <p className="notice notice-warn small" data-testid="artifacts-skipped">
          Not handed back: {skipped.join('; ')}
        </p>
      )}
    </section>
  );
}

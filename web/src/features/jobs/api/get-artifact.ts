/**
 * GET /executions/{id}/artifacts/{name}: one file a run handed back, as a blob URL.
 *
 * Only raster images are ever shown from a blob URL. Downloads get a blob typed
 * `application/octet-stream`, so even an SVG or HTML file opened from it is never rendered in
 * this origin (an SVG can carry script).
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { apiBlob } from '@/lib/api-client';
import type { Artifact } from '@/lib/protocol';

const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** Raster images, safe to show inline; everything else is offered as a download. */
export function isInlineImage(artifact: Artifact): boolean {
  return INLINE_TYPES.has(artifact.media_type);
}

export function artifactPath(executionId: string, name: string): string {
  return `/executions/${encodeURIComponent(executionId)}/artifacts/${encodeURIComponent(name)}`;
}

/** Fetches an artifact and returns it as a blob of the given type. */
export async function fetchArtifact(executionId: string, artifact: Artifact, type: string): Promise<Blob> {
  const blob = await apiBlob(artifactPath(executionId, artifact.name));
  return new Blob([blob], { type });
}

/** An object URL for an inline image (revoked when the component goes away). */
export function useImageUrl(executionId: string, artifact: Artifact) {
  const query = useQuery({
    queryKey: ['executions', 'artifact', executionId, artifact.name, artifact.sha256],
    queryFn: () => fetchArtifact(executionId, artifact, artifact.media_type),
    enabled: isInlineImage(artifact),
    staleTime: Infinity,
  });
  const url = useMemo(() => (query.data ? URL.createObjectURL(query.data) : null), [query.data]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  return { url, error: query.error, pending: query.isPending };
}

/** Saves an artifact through the browser's download, never rendering it. */
export async function downloadArtifact(executionId: string, artifact: Artifact): Promise<void> {
  const blob = await fetchArtifact(executionId, artifact, 'application/octet-stream');
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = artifact.name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

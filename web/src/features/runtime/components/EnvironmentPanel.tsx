/** A small "Environment" panel: the Python version, its packages and the limits of a run. */
import { formatBytes, formatDuration } from '@/lib/format';
import { useRuntime } from '../api/get-runtime';

export function EnvironmentPanel() {
  const runtime = useRuntime();
  if (!runtime.data) return null;
  const { python_version, packages, default_limits, max_limits, artifacts } = runtime.data;
  return (
    <details className="environment" data-testid="environment">
      <summary>
        Environment: Python {python_version}
        {packages.length > 0 && ` · ${packages.length} packages`}
      </summary>
      {packages.length === 0 ? (
        <p className="muted small">The standard library only.</p>
      ) : (
        <ul className="environment-packages small">
          {packages.map((p) => (
            <li key={p.name}>
              <code>{p.name}</code> <span className="muted">{p.version}</span>
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">
        Time {formatDuration(default_limits.time_limit_ms)} (at most {formatDuration(max_limits.time_limit_ms)}),
        memory {default_limits.memory_limit_mib} MiB. Files written to <code>/box/out/</code> and open matplotlib
        figures come back: up to {artifacts.max_files} files, {formatBytes(artifacts.max_total_bytes)}.
      </p>
    </details>
  );
}

/** Formatting of durations, sizes, times and statuses for people. */
import type { JobStatus } from './protocol';

const STATUS_WORDS: Record<JobStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  timed_out: 'Time limit exceeded',
  memory_exceeded: 'Memory limit exceeded',
  output_exceeded: 'Output limit exceeded',
  cancelled: 'Stopped',
  internal_error: 'Internal error',
};

export function statusWords(status: JobStatus): string {
  return STATUS_WORDS[status];
}

/** The tone a status is shown in. */
export function statusTone(status: JobStatus): 'neutral' | 'busy' | 'ok' | 'bad' | 'warn' {
  switch (status) {
    case 'queued':
      return 'neutral';
    case 'running':
      return 'busy';
    case 'succeeded':
      return 'ok';
    case 'cancelled':
      return 'warn';
    default:
      return 'bad';
  }
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatKib(kib: number | null | undefined): string {
  if (kib === null || kib === undefined) return '—';
  if (kib < 1024) return `${kib} KiB`;
  const mib = kib / 1024;
  return `${mib.toFixed(mib < 10 ? 1 : 0)} MiB`;
}

export function formatChars(chars: number): string {
  if (chars < 1024) return `${chars} characters`;
  return `${(chars / 1024).toFixed(0)} K characters`;
}

/** "just now", "5 min ago", "3 h ago", else a short date. */
export function formatRelative(iso: string, now = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return new Date(then).toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: 'numeric' });
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** A byte count for people: "512 B", "14.2 KiB", "3.1 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

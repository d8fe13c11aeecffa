import { statusTone, statusWords } from '@/lib/format';
import type { JobStatus } from '@/lib/protocol';

export function StatusBadge({ status }: { status: JobStatus }) {
  return (
    <span className={`badge badge-${statusTone(status)}`} data-status={status}>
      {statusWords(status)}
    </span>
  );
}

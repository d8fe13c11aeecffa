/**
 * The user's past runs, newest first, as summaries (a page carries no code or output); each
 * opens its own page, which fetches the whole run.
 */
import { memo, useState } from 'react';
import { NavLink } from 'react-router';
import { ErrorNotice } from '@/components/ui/ErrorNotice';
import { Spinner } from '@/components/ui/Spinner';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { formatDateTime, formatRelative } from '@/lib/format';
import type { ExecutionListItem } from '@/lib/protocol';
import { useSessionStore } from '@/lib/session';
import { useExecutionHistory } from '../api/list-executions';

function HistoryItem({ run, showOwner }: { run: ExecutionListItem; showOwner: boolean }) {
  return (
    <li>
      <NavLink to={`/runs/${run.id}`} className="history-item" data-testid="history-item" data-run-id={run.id}>
        <span className="history-code">{run.code_preview || '(empty program)'}</span>
        {showOwner && run.user_id && <span className="muted small">user {run.user_id.slice(-8)}</span>}
        {run.test_count > 0 && (
          <span className="muted small" data-testid="history-tests">
            {run.tests_passed}/{run.test_count} tests passed
          </span>
        )}
        <span className="history-meta">
          <StatusBadge status={run.status} />
          {run.artifact_count > 0 && (
            <span className="muted small" data-testid="history-artifacts">
              {run.artifact_count} {run.artifact_count === 1 ? 'file' : 'files'}
            </span>
          )}
          <time dateTime={run.created_at} title={formatDateTime(run.created_at)}>
            {formatRelative(run.created_at)}
          </time>
        </span>
      </NavLink>
    </li>
  );
}

export const HistoryList = memo(function HistoryList() {
  const session = useSessionStore((state) => state.session);
  const isAdmin = session?.user.role === 'admin';
  const [everyone, setEveryone] = useState(false);
  const history = useExecutionHistory(isAdmin && everyone);
  const runs = history.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <nav className="history" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {isAdmin && (
        <label className="checkbox">
          <input type="checkbox" checked={everyone} onChange={(event) => setEveryone(event.target.checked)} />
          <span>Everyone’s runs</span>
        </label>
      )}
      {history.isPending && <Spinner label="Loading history" />}
      {history.isError && <ErrorNotice error={history.error} title="Could not load your runs" />}
      {history.isSuccess && runs.length === 0 && <p className="muted">No runs yet. Press Run to start one.</p>}
      <ul className="history-list">
        {runs.map((run) => (
          <HistoryItem key={run.id} run={run} showOwner={everyone && run.user_id !== session?.user.id} />
        ))}
      </ul>
      {history.hasNextPage && (
        <button
          type="button"
          className="button button-quiet"
          onClick={() => void history.fetchNextPage()}
          disabled={history.isFetchingNextPage}
        >
          {history.isFetchingNextPage ? 'Loading…' : 'Older runs'}
        </button>
      )}
    </nav>
  );
});

/** The latest security events: sign-ins, failures, keys, role changes. */
import { ErrorNotice } from '@/components/ui/ErrorNotice';
import { Spinner } from '@/components/ui/Spinner';
import { formatDateTime } from '@/lib/format';
import { AUDIT_PAGE_SIZE, useAuditLog } from '../api/audit-log';

export function AuditTable({ usernames }: { usernames: Map<string, string> }) {
  const audit = useAuditLog();
  const who = (id: string | null | undefined) => (id ? (usernames.get(id) ?? id) : '—');
  return (
    <section className="panel" aria-labelledby="audit-title">
      <h2 id="audit-title">Security events</h2>
      <p className="muted small">The latest {AUDIT_PAGE_SIZE}, newest first.</p>
      {audit.isPending && <Spinner label="Loading events" />}
      {audit.isError && <ErrorNotice error={audit.error} title="Could not load the audit log" />}
      {audit.isSuccess && (
        <div className="table-scroll">
          <table className="functions keys-table" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">By</th>
                <th scope="col">About</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {audit.data.map((entry) => (
                <tr key={entry.id}>
                  <td>{formatDateTime(entry.at)}</td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>{who(entry.actor)}</td>
                  <td>{who(entry.target)}</td>
                  <td>{entry.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

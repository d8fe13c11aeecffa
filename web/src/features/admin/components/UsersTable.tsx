/** Every account, with the role and disabled switches an administrator may flip. */
import { ErrorNotice } from '@/components/ui/ErrorNotice';
import { Spinner } from '@/components/ui/Spinner';
import { formatDateTime } from '@/lib/format';
import { type AdminUser, useUpdateUser, useUsers } from '../api/users';

function UserRow({ user, isSelf }: { user: AdminUser; isSelf: boolean }) {
  const update = useUpdateUser();
  const toggleDisabled = () => {
    const verb = user.disabled ? 'Enable' : 'Disable';
    if (user.disabled || window.confirm(`${verb} ${user.username}? Their sessions and keys stop working at once.`)) {
      update.mutate({ id: user.id, disabled: !user.disabled });
    }
  };
  return (
    <tr data-testid="user-row" data-username={user.username}>
      <td>
        <strong>{user.username}</strong>
        {user.email && <div className="muted small">{user.email}</div>}
      </td>
      <td>{user.role}</td>
      <td>{user.disabled ? <span className="badge badge-bad">Disabled</span> : 'Active'}</td>
      <td>{formatDateTime(user.created_at)}</td>
      <td>
        {!isSelf && (
          <div className="row-actions">
            <button
              type="button"
              className="button"
              disabled={update.isPending}
              onClick={() => update.mutate({ id: user.id, role: user.role === 'admin' ? 'user' : 'admin' })}
            >
              {user.role === 'admin' ? 'Make user' : 'Make admin'}
            </button>
            <button
              type="button"
              className={user.disabled ? 'button' : 'button button-danger'}
              disabled={update.isPending}
              onClick={toggleDisabled}
              aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.username}`}
            >
              {user.disabled ? 'Enable' : 'Disable'}
            </button>
          </div>
        )}
        {update.isError && <ErrorNotice error={update.error} />}
      </td>
    </tr>
  );
}

export function UsersTable({ selfId }: { selfId: string }) {
  const users = useUsers();
  return (
    <section className="panel" aria-labelledby="users-title">
      <h2 id="users-title">Accounts</h2>
      {users.isPending && <Spinner label="Loading accounts" />}
      {users.isError && <ErrorNotice error={users.error} title="Could not load the accounts" />}
      {users.isSuccess && (
        <div className="table-scroll">
          <table className="functions keys-table">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Role</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((user) => (
                <UserRow key={user.id} user={user} isSelf={user.id === selfId} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

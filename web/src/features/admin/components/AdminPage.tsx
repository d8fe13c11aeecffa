/** Administration: accounts and the security log. Only shown to administrators. */
import { useMemo } from 'react';
import { useUsers } from '../api/users';
import { AuditTable } from './AuditTable';
import { UsersTable } from './UsersTable';

export function AdminPage({ selfId }: { selfId: string }) {
  const users = useUsers();
  const usernames = useMemo(
    () => new Map((users.data ?? []).map((user) => [user.id, user.username] as const)),
    [users.data],
  );
  return (
    <main className="settings-page">
      <h1>Administration</h1>
      <UsersTable selfId={selfId} />
      <AuditTable usernames={usernames} />
    </main>
  );
}

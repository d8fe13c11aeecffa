import { Navigate } from 'react-router';
import { AdminPage } from '@/features/admin/components/AdminPage';
import { useSessionStore } from '@/lib/session';

/** The administration page, for administrators only (the server checks too). */
export function AdminRoute() {
  const session = useSessionStore((state) => state.session);
  if (session?.user.role !== 'admin') return <Navigate to="/" replace />;
  return <AdminPage selfId={session.user.id} />;
}

/** Sends people who are not signed in to the sign-in page, remembering where they were going. */
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { hasUsableSession, useSessionStore } from '@/lib/session';

export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSessionStore((state) => state.session);
  const location = useLocation();
  if (!hasUsableSession(session)) {
    return <Navigate to="/signin" replace state={{ from: location.pathname }} />;
  }
  return children;
}

import { Navigate } from 'react-router';
import { AuthForm } from '@/features/auth/components/AuthForm';
import { useSessionStore } from '@/lib/session';

export function AuthPage({ mode }: { mode: 'signin' | 'register' }) {
  const signedIn = useSessionStore((state) => state.session !== null);
  if (signedIn) return <Navigate to="/" replace />;
  return <AuthForm mode={mode} />;
}

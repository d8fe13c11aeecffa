/** The providers (server state, WebSocket) and the routes of the app. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { Spinner } from '@/components/ui/Spinner';
import { ApiError } from '@/lib/api-client';
import { SocketProvider } from '@/lib/socket';
import { OidcCallback } from '@/features/auth/components/OidcCallback';
import { AuthPage } from './AuthPage';
import { Layout } from './Layout';
import { NotFoundPage } from './NotFoundPage';
import { RequireAuth } from './RequireAuth';
import { useApplyTheme } from './useTheme';
import { WorkspacePage } from './WorkspacePage';

const MAX_RETRIES = 2;

// Pages most visits never open are loaded on demand, keeping the first bundle small.
const SettingsPage = lazy(() => import('./SettingsPage').then((module) => ({ default: module.SettingsPage })));
const AdminRoute = lazy(() => import('./AdminRoute').then((module) => ({ default: module.AdminRoute })));

const page = (element: ReactNode) => <Suspense fallback={<Spinner label="Loading the page" />}>{element}</Suspense>;

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not get better by asking again; network trouble might.
      retry: (failures, error) =>
        failures < MAX_RETRIES && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

const router = createBrowserRouter([
  { path: '/signin', element: <AuthPage mode="signin" /> },
  { path: '/register', element: <AuthPage mode="register" /> },
  { path: '/auth/callback', element: <OidcCallback /> },
  {
    element: (
      <RequireAuth>
        <Layout queryClient={queryClient} />
      </RequireAuth>
    ),
    children: [
      { path: '/', element: <WorkspacePage /> },
      { path: '/runs/:runId', element: <WorkspacePage /> },
      { path: '/settings', element: page(<SettingsPage />) },
      { path: '/admin', element: page(<AdminRoute />) },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
]);

export function App() {
  useApplyTheme();
  return (
    <QueryClientProvider client={queryClient}>
      <SocketProvider>
        <RouterProvider router={router} />
      </SocketProvider>
    </QueryClientProvider>
  );
}

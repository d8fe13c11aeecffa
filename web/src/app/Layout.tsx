/** The frame of every signed-in page: the header with theme, connection and account. */
import { type QueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate } from 'react-router';
import { useEditorSession } from '@/features/editor/stores/editor-session';
import { useLiveOutput } from '@/features/jobs/stores/live-output';
import { signOutEverywhere } from '@/lib/auth-tokens';
import { useSessionStore } from '@/lib/session';
import { nextMode, type ThemeMode, useThemeStore } from '@/lib/theme';
import { ConnectionBanner } from './ConnectionBanner';

const MODE_LABEL: Record<ThemeMode, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };
const MODE_ICON: Record<ThemeMode, string> = { system: '◐', light: '☀', dark: '☾' };

function ThemeToggle() {
  const { mode, setMode } = useThemeStore();
  return (
    <button
      type="button"
      className="button button-quiet icon-button"
      onClick={() => setMode(nextMode(mode))}
      aria-label={`${MODE_LABEL[mode]} (change)`}
      title={MODE_LABEL[mode]}
    >
      <span aria-hidden="true">{MODE_ICON[mode]}</span>
    </button>
  );
}

export function Layout({ queryClient }: { queryClient: QueryClient }) {
  const session = useSessionStore((state) => state.session);
  const navigate = useNavigate();

  const signOut = () => {
    void signOutEverywhere();
    queryClient.clear();
    useLiveOutput.setState({ jobs: {} });
    // The next person on this browser must not find this person's code.
    useEditorSession.persist.clearStorage();
    useEditorSession.setState(useEditorSession.getInitialState());
    void navigate('/signin');
  };

  return (
    <div className="app">
      <a href="#editor" className="skip-link">
        Skip to the editor
      </a>
      <header className="app-header">
        <a href="/" className="brand" onClick={(event) => { event.preventDefault(); void navigate('/'); }}>
          <img src="/favicon.svg" alt="" width={20} height={20} />
          Code Remote
        </a>
        <div className="header-actions">
          {session?.user.role === 'admin' && (
            <Link to="/admin" className="button button-quiet">
              Admin
            </Link>
          )}
          <Link to="/settings" className="button button-quiet">
            Settings
          </Link>
          <ThemeToggle />
          <span className="user-name" title={`Signed in as ${session?.user.username ?? ''}`}>
            {session?.user.username}
          </span>
          <button type="button" className="button button-quiet" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <ConnectionBanner />
      <Outlet />
    </div>
  );
}

/**
 * Gives React components the one `JobSocket` of the signed-in user, and its connection state.
 * The socket is created when someone signs in and closed when they sign out.
 */
import { createContext, type ReactNode, useContext, useEffect, useMemo, useSyncExternalStore } from 'react';
import { freshToken } from './auth-tokens';
import { useSessionStore } from './session';
import { type ConnectionInfo, JobSocket, socketUrl } from './ws-client';

const SocketContext = createContext<JobSocket | null>(null);

export function SocketProvider({ children }: { children: ReactNode }) {
  // One socket per signed-in user; each (re)connect reads the then-current token.
  const userId = useSessionStore((state) => state.session?.user.id ?? null);
  const socket = useMemo(
    () =>
      userId
        ? new JobSocket({
            url: () => {
              const session = useSessionStore.getState().session;
              // Refresh in the background when needed, so a failed attempt's retry has a new token.
              void freshToken();
              return session ? socketUrl(session.token, window.location) : null;
            },
          })
        : null,
    [userId],
  );
  // Closed when the user changes or the provider unmounts; resumed when it mounts (again).
  useEffect(() => {
    socket?.resume();
    return () => socket?.close();
  }, [socket]);
  return <SocketContext.Provider value={socket}>{children}</SocketContext.Provider>;
}

export function useJobSocket(): JobSocket | null {
  return useContext(SocketContext);
}

const IDLE: ConnectionInfo = { state: 'idle', attempt: 0, retryAt: null };

export function useConnectionInfo(): ConnectionInfo {
  const socket = useJobSocket();
  return useSyncExternalStore(
    (notify) => (socket ? socket.onConnection(notify) : () => undefined),
    () => socket?.connection ?? IDLE,
  );
}

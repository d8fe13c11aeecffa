/**
 * Gives React components the one `JobSocket` of the signed-in user, and its connection state.
 * The socket is created when someone signs in and closed when they sign out.
 */
import { createContext, type ReactNode, useContext, useEffect, useMemo, useSyncExternalStore } from 'react';
import { currentToken, useSessionStore } from './session';
import { type ConnectionInfo, JobSocket, socketUrl } from './ws-client';

const SocketContext = createContext<JobSocket | null>(null);

export function SocketProvider({ children }: { children: ReactNode }) {
  const token = useSessionStore((state) => state.session?.token ?? null);
  const socket = useMemo(
    () =>
      token
        ? new JobSocket({
            url: () => {
              const current = currentToken();
              return current ? socketUrl(current, window.location) : null;
            },
          })
        : null,
    [token],
  );
  useEffect(() => () => socket?.close(), [socket]);
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

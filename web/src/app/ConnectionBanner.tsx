/** Tells the person when the live connection is lost, when it comes back, and lets them retry. */
import { useEffect, useRef, useState } from 'react';
import { useConnectionInfo, useJobSocket } from '@/lib/socket';

const RECONNECTED_NOTICE_MS = 3000;

export function ConnectionBanner() {
  const info = useConnectionInfo();
  const socket = useJobSocket();
  const [now, setNow] = useState(() => Date.now());
  const [showReconnected, setShowReconnected] = useState(false);
  const wasDown = useRef(false);

  useEffect(() => {
    if (info.state !== 'reconnecting') return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [info.state]);

  useEffect(() => {
    if (info.state === 'reconnecting') wasDown.current = true;
    if (info.state === 'open' && wasDown.current) {
      wasDown.current = false;
      setShowReconnected(true);
      const timer = setTimeout(() => setShowReconnected(false), RECONNECTED_NOTICE_MS);
      return () => clearTimeout(timer);
    }
  }, [info.state]);

  if (info.state === 'reconnecting') {
    const seconds = info.retryAt ? Math.max(0, Math.ceil((info.retryAt - now) / 1000)) : 0;
    return (
      <div className="banner banner-warn" role="status" data-testid="connection-banner">
        Live connection lost. {info.retryAt && seconds > 0 ? `Reconnecting in ${seconds} s…` : 'Reconnecting…'}
        <button type="button" className="button button-quiet" onClick={() => socket?.retryNow()}>
          Retry now
        </button>
      </div>
    );
  }
  if (showReconnected) {
    return (
      <div className="banner banner-ok" role="status">
        Reconnected. Live output resumed.
      </div>
    );
  }
  return null;
}

/** Explains a failed API call to a person, counting down the wait of a rate limit. */
import { useEffect, useState } from 'react';
import { ApiError } from '@/lib/api-client';

function useCountdown(seconds: number | null): number | null {
  const [countdown, setCountdown] = useState({ from: seconds, left: seconds });
  // A new wait restarts the countdown (state adjusted while rendering, not in an effect).
  if (countdown.from !== seconds) setCountdown({ from: seconds, left: seconds });
  useEffect(() => {
    if (seconds === null) return;
    const started = Date.now();
    const timer = setInterval(() => {
      const remaining = Math.max(0, seconds - Math.floor((Date.now() - started) / 1000));
      setCountdown({ from: seconds, left: remaining });
      if (remaining === 0) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [seconds]);
  return countdown.from === seconds ? countdown.left : seconds;
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  const api = error instanceof ApiError ? error : null;
  const left = useCountdown(api?.isRateLimited ? api.retryAfterSeconds : null);
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert">
      {title && <strong>{title}: </strong>}
      {api?.isRateLimited ? (
        <>
          Too many requests. {api.message}{' '}
          {left !== null && (left > 0 ? `You can try again in ${left} s.` : 'You can try again now.')}
        </>
      ) : (
        errorText(error)
      )}
    </div>
  );
}

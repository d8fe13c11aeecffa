/**
 * The typed WebSocket client: one connection for all of a user's jobs.
 *
 * It validates every frame against the protocol, delivers each job's events once and in order
 * (dropping any event whose `seq` it has already seen), reconnects with exponential backoff when
 * the connection drops (the server also closes a client that falls too far behind), and
 * resubscribes to every job that has not finished, from the last `seq` it saw (`after_seq`), so
 * the server resends only what was missed. Messages sent while disconnected (stdin,
 * cancel) are queued and sent after the resubscription.
 *
 * It knows nothing about React; `subscribe` returns an unsubscribe function.
 */
import { type ClientMessage, type JobEvent, parseServerMessage } from './protocol';

/** The subset of the browser `WebSocket` this client uses (a fake one in tests). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

const OPEN = 1;
/** A normal close initiated by this client; it does not trigger a reconnect. */
const CLIENT_CLOSE = 1000;

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting';

export interface ConnectionInfo {
  state: ConnectionState;
  /** Failed attempts since the last successful open. */
  attempt: number;
  /** When the next attempt starts (ms since epoch), while `reconnecting`. */
  retryAt: number | null;
}

/** A job-related error the server sent (e.g. subscribing to a job that does not exist). */
export interface JobError {
  type: 'error';
  code: string;
  message: string;
}

export type JobListener = (event: JobEvent | JobError) => void;

export interface JobSocketOptions {
  /** The URL to connect to, or null while there is nobody signed in. */
  url: () => string | null;
  createSocket?: WebSocketFactory;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Jitter source in [0, 1); tests pass a constant. */
  random?: () => number;
  now?: () => number;
}

export const DEFAULT_INITIAL_DELAY_MS = 500;
export const DEFAULT_MAX_DELAY_MS = 10_000;

interface JobEntry {
  listeners: Set<JobListener>;
  lastSeq: number;
  finished: boolean;
}

export class JobSocket {
  private readonly options: Required<JobSocketOptions>;
  private socket: WebSocketLike | null = null;
  private readonly jobs = new Map<string, JobEntry>();
  private readonly pending: ClientMessage[] = [];
  private readonly connectionListeners = new Set<(info: ConnectionInfo) => void>();
  private readonly errorListeners = new Set<(error: { code: string; message: string }) => void>();
  private info: ConnectionInfo = { state: 'idle', attempt: 0, retryAt: null };
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(options: JobSocketOptions) {
    this.options = {
      createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
      initialDelayMs: DEFAULT_INITIAL_DELAY_MS,
      maxDelayMs: DEFAULT_MAX_DELAY_MS,
      random: Math.random,
      now: Date.now,
      ...options,
    };
  }

  get connection(): ConnectionInfo {
    return this.info;
  }

  /**
   * Follows a job's events. Events with `seq <= afterSeq` (already seen by the caller) are
   * skipped. Returns the function that stops following.
   */
  subscribe(jobId: string, listener: JobListener, afterSeq = 0): () => void {
    let entry = this.jobs.get(jobId);
    if (!entry) {
      entry = { listeners: new Set(), lastSeq: afterSeq, finished: false };
      this.jobs.set(jobId, entry);
      this.sendNow(subscribeMessage(jobId, entry.lastSeq));
    }
    entry.listeners.add(listener);
    this.ensureConnected();
    return () => {
      const current = this.jobs.get(jobId);
      if (!current) return;
      current.listeners.delete(listener);
      if (current.listeners.size === 0) {
        this.jobs.delete(jobId);
        this.sendNow({ type: 'unsubscribe', job_id: jobId });
      }
    };
  }

  /** Sends a message, or queues it until the connection is back. */
  send(message: ClientMessage): void {
    if (this.socket && this.socket.readyState === OPEN) {
      this.socket.send(JSON.stringify(message));
    } else {
      this.pending.push(message);
      this.ensureConnected();
    }
  }

  onConnection(listener: (info: ConnectionInfo) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /** Errors not tied to one job: protocol violations and the server's general errors. */
  onError(listener: (error: { code: string; message: string }) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /** Closes for good (sign-out); no reconnect follows. */
  close(): void {
    this.stopped = true;
    this.clearRetry();
    this.pending.length = 0;
    this.jobs.clear();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close(CLIENT_CLOSE, 'closed by client');
    }
    this.setInfo({ state: 'idle', attempt: 0, retryAt: null });
  }

  /**
   * Undoes `close()`: a provider mounted again (React's StrictMode mounts, unmounts and mounts
   * again in development) keeps the same socket, which must connect for the subscriptions made
   * since.
   */
  resume(): void {
    this.stopped = false;
    if (this.jobs.size > 0 || this.pending.length > 0) this.ensureConnected();
  }

  /** Reconnects at once instead of waiting for the backoff timer ("Retry now"). */
  retryNow(): void {
    if (this.info.state !== 'reconnecting') return;
    this.clearRetry();
    this.connect();
  }

  private ensureConnected(): void {
    if (this.stopped || this.socket || this.retryTimer) return;
    this.connect();
  }

  private connect(): void {
    const url = this.options.url();
    if (!url) {
      this.setInfo({ state: 'idle', attempt: 0, retryAt: null });
      return;
    }
    const attempt = this.info.attempt;
    this.setInfo({ state: attempt === 0 ? 'connecting' : 'reconnecting', attempt, retryAt: null });
    const socket = this.options.createSocket(url);
    this.socket = socket;
    socket.onopen = () => this.handleOpen();
    socket.onmessage = (event) => this.handleMessage(event.data);
    socket.onclose = () => this.handleClose(socket);
    // An error is always followed by a close; the close handler does the work.
    socket.onerror = () => undefined;
  }

  private handleOpen(): void {
    this.setInfo({ state: 'open', attempt: 0, retryAt: null });
    for (const [jobId, entry] of this.jobs) {
      if (!entry.finished) this.sendNow(subscribeMessage(jobId, entry.lastSeq));
    }
    const queued = this.pending.splice(0);
    for (const message of queued) this.sendNow(message);
  }

  private handleMessage(data: unknown): void {
    if (typeof data !== 'string') {
      this.emitError({ code: 'protocol_error', message: 'The server sent a binary frame.' });
      return;
    }
    const parsed = parseServerMessage(data);
    if (!parsed.ok) {
      this.emitError({ code: 'protocol_error', message: `Unexpected message: ${parsed.error}` });
      return;
    }
    const message = parsed.message;
    if (message.type === 'error') {
      const entry = message.job_id ? this.jobs.get(message.job_id) : undefined;
      if (entry) {
        const jobError: JobError = { type: 'error', code: message.code, message: message.message };
        for (const listener of [...entry.listeners]) listener(jobError);
      } else {
        this.emitError({ code: message.code, message: message.message });
      }
      return;
    }
    const entry = this.jobs.get(message.job_id);
    if (!entry || message.seq <= entry.lastSeq) return;
    entry.lastSeq = message.seq;
    if (message.type === 'finished') entry.finished = true;
    for (const listener of [...entry.listeners]) listener(message);
  }

  private handleClose(socket: WebSocketLike): void {
    if (this.socket !== socket) return;
    this.socket = null;
    if (this.stopped) return;
    const attempt = this.info.state === 'open' ? 0 : this.info.attempt;
    const base = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** attempt);
    // Jitter spreads reconnecting browsers out after a server restart.
    const delay = Math.round(base * (0.5 + this.options.random() / 2));
    this.setInfo({ state: 'reconnecting', attempt: attempt + 1, retryAt: this.options.now() + delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private sendNow(message: ClientMessage): void {
    // Subscriptions are re-sent on open, so only an open socket needs them now.
    if (this.socket && this.socket.readyState === OPEN) this.socket.send(JSON.stringify(message));
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private emitError(error: { code: string; message: string }): void {
    for (const listener of [...this.errorListeners]) listener(error);
  }

  private setInfo(info: ConnectionInfo): void {
    this.info = info;
    for (const listener of [...this.connectionListeners]) listener(info);
  }
}

function subscribeMessage(jobId: string, afterSeq: number): ClientMessage {
  return afterSeq > 0 ? { type: 'subscribe', job_id: jobId, after_seq: afterSeq } : { type: 'subscribe', job_id: jobId };
}

/** The WebSocket URL of this page's server, with the token as the browser must pass it. */
export function socketUrl(token: string, location: { protocol: string; host: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/v1/ws?token=${encodeURIComponent(token)}`;
}

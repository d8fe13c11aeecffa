import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobEvent } from './protocol';
import { aSummary } from '@/testing/fixtures';
import { type JobError, JobSocket, type WebSocketLike, socketUrl } from './ws-client';

/** A WebSocket the test drives by hand: it opens, receives and drops when told to. */
class FakeWebSocket implements WebSocketLike {
  readyState = 0;
  sent: unknown[] = [];
  onopen: WebSocketLike['onopen'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onerror: WebSocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(data: string) {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: unknown) {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: '' });
  }
}

let sockets: FakeWebSocket[];
const lastSocket = () => sockets[sockets.length - 1]!;

function makeClient(url: () => string | null = () => 'ws://test/api/v1/ws?token=t') {
  return new JobSocket({
    url,
    createSocket: (u) => {
      const socket = new FakeWebSocket(u);
      sockets.push(socket);
      return socket;
    },
    initialDelayMs: 100,
    maxDelayMs: 1000,
    random: () => 1, // no jitter below the base delay: delays are exactly base * 1
  });
}

const output = (seq: number, data: string, stream: 'stdout' | 'stderr' = 'stdout') => ({
  type: 'output',
  job_id: '00000000-0000-4000-8000-000000000001',
  seq,
  stream,
  data,
});

beforeEach(() => {
  sockets = [];
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('JobSocket', () => {
  it('subscribes to a job once the connection opens', () => {
    const client = makeClient();
    client.subscribe('00000000-0000-4000-8000-000000000001', () => undefined);
    expect(sockets).toHaveLength(1);
    lastSocket().open();
    expect(lastSocket().sent).toEqual([{ type: 'subscribe', job_id: '00000000-0000-4000-8000-000000000001' }]);
    expect(client.connection.state).toBe('open');
  });

  it('delivers events in order and drops those it has already seen', () => {
    const client = makeClient();
    const seen: (JobEvent | JobError)[] = [];
    client.subscribe('00000000-0000-4000-8000-000000000001', (event) => seen.push(event));
    lastSocket().open();
    lastSocket().receive(output(1, 'a'));
    lastSocket().receive(output(2, 'b'));
    lastSocket().receive(output(2, 'b again'));
    lastSocket().receive(output(1, 'a again'));
    lastSocket().receive(output(3, 'c'));
    expect(seen.map((event) => (event.type === 'output' ? event.data : event.type))).toEqual(['a', 'b', 'c']);
  });

  it('reconnects after a drop, resubscribes and skips the replayed events', () => {
    const client = makeClient();
    const seen: string[] = [];
    client.subscribe('00000000-0000-4000-8000-000000000001', (event) => {
      if (event.type === 'output') seen.push(event.data);
    });
    lastSocket().open();
    lastSocket().receive(output(1, 'one'));
    lastSocket().receive(output(2, 'two'));
    lastSocket().drop();

    expect(client.connection.state).toBe('reconnecting');
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(99);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);

    lastSocket().open();
    // Resumes after the last event seen, so the server resends only what was missed.
    expect(lastSocket().sent).toEqual([{ type: 'subscribe', job_id: '00000000-0000-4000-8000-000000000001', after_seq: 2 }]);
    // Anything replayed anyway is still delivered once.
    lastSocket().receive(output(1, 'one'));
    lastSocket().receive(output(2, 'two'));
    lastSocket().receive(output(3, 'three'));
    expect(seen).toEqual(['one', 'two', 'three']);
  });

  it('backs off exponentially up to the maximum while the server stays away', () => {
    const client = makeClient();
    client.subscribe('00000000-0000-4000-8000-000000000001', () => undefined);
    lastSocket().open();
    lastSocket().drop();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const before = sockets.length;
      let waited = 0;
      while (sockets.length === before) {
        vi.advanceTimersByTime(10);
        waited += 10;
      }
      delays.push(waited);
      lastSocket().drop();
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(client.connection.attempt).toBe(7);
  });

  it('does not resubscribe to a job that has finished', () => {
    const client = makeClient();
    client.subscribe('00000000-0000-4000-8000-000000000001', () => undefined);
    client.subscribe('00000000-0000-4000-8000-000000000002', () => undefined);
    lastSocket().open();
    lastSocket().receive({
      type: 'finished',
      job_id: '00000000-0000-4000-8000-000000000001',
      seq: 1,
      execution: aSummary({ id: '00000000-0000-4000-8000-000000000001', status: 'succeeded' }),
    });
    lastSocket().drop();
    vi.advanceTimersByTime(100);
    lastSocket().open();
    expect(lastSocket().sent).toEqual([{ type: 'subscribe', job_id: '00000000-0000-4000-8000-000000000002' }]);
  });

  it('queues stdin sent while disconnected and sends it after resubscribing', () => {
    const client = makeClient();
    client.subscribe('00000000-0000-4000-8000-000000000001', () => undefined);
    lastSocket().open();
    lastSocket().drop();
    client.send({ type: 'stdin', job_id: '00000000-0000-4000-8000-000000000001', data: 'Ada\n' });
    vi.advanceTimersByTime(100);
    lastSocket().open();
    expect(lastSocket().sent).toEqual([
      { type: 'subscribe', job_id: '00000000-0000-4000-8000-000000000001' },
      { type: 'stdin', job_id: '00000000-0000-4000-8000-000000000001', data: 'Ada\n' },
    ]);
  });

  it('unsubscribes when the last listener leaves', () => {
    const client = makeClient();
    const stopA = client.subscribe('00000000-0000-4000-8000-000000000001', () => undefined);
    const stopB = client.subscribe('00000000-0000-4000-8000-000000000001', () => undefined);
    lastSocket().open();
    stopA();
    expect(lastSocket().sent).toEqual([{ type: 'subscribe', job_id: '00000000-0000-4000-8000-000000000001' }]);
    stopB();
    expect(lastSocket().sent).toEqual([
      { type: 'subscribe', job_id: '00000000-0000-4000-8000-000000000001' },
      { type: 'unsubscribe', job_id: '00000000-0000-4000-8000-000000000001' },
    ]);
  });

  it('skips the events a new subscriber says it has already seen', () => {
    const client = makeClient();
    const seen: number[] = [];
    client.subscribe('00000000-0000-4000-8000-000000000001', (event) => event.type !== 'error' && seen.push(event.seq), 2);
    lastSocket().open();
    for (const seq of [1, 2, 3]) lastSocket().receive(output(seq, String(seq)));
    expect(seen).toEqual([3]);
  });

  it('reports malformed messages and server errors without breaking the stream', () => {
    const client = makeClient();
    const errors: string[] = [];
    const seen: string[] = [];
    client.onError((error) => errors.push(error.code));
    client.subscribe('00000000-0000-4000-8000-000000000001', (event) => event.type === 'output' && seen.push(event.data));
    lastSocket().open();
    lastSocket().receive('not json');
    lastSocket().receive({ type: 'output', job_id: '00000000-0000-4000-8000-000000000001', seq: 1, stream: 'stdsomething', data: 'x' });
    lastSocket().receive({ type: 'error', code: 'rate_limited', message: 'slow down' });
    lastSocket().receive(output(1, 'fine'));
    expect(errors).toEqual(['protocol_error', 'protocol_error', 'rate_limited']);
    expect(seen).toEqual(['fine']);
  });

  it('routes an error about a job to that job', () => {
    const client = makeClient();
    const seen: (JobEvent | JobError)[] = [];
    client.subscribe('00000000-0000-4000-8000-000000000001', (event) => seen.push(event));
    lastSocket().open();
    lastSocket().receive({ type: 'error', job_id: '00000000-0000-4000-8000-000000000001', code: 'not_found', message: 'no such job' });
    expect(seen).toEqual([{ type: 'error', code: 'not_found', message: 'no such job' }]);
  });

  it('stays idle without a token and does not reconnect after close', () => {
    const idle = makeClient(() => null);
    idle.subscribe('00000000-0000-4000-8000-000000000001', () => undefined);
    expect(sockets).toHaveLength(0);
    expect(idle.connection.state).toBe('idle');

    const client = makeClient();
    client.subscribe('00000000-0000-4000-8000-000000000001', () => undefined);
    lastSocket().open();
    client.close();
    vi.advanceTimersByTime(10_000);
    expect(sockets).toHaveLength(1);
    expect(client.connection.state).toBe('idle');
  });

  it('reconnects at once when asked to retry now', () => {
    const client = makeClient();
    client.subscribe('00000000-0000-4000-8000-000000000001', () => undefined);
    lastSocket().open();
    lastSocket().drop();
    client.retryNow();
    expect(sockets).toHaveLength(2);
  });
});

describe('socketUrl', () => {
  it('uses wss on https pages and escapes the token', () => {
    expect(socketUrl('a+b/c', { protocol: 'https:', host: 'example.org' })).toBe(
      'wss://example.org/api/v1/ws?token=a%2Bb%2Fc',
    );
    expect(socketUrl('t', { protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/api/v1/ws?token=t');
  });
});

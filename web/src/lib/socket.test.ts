// @vitest-environment jsdom
import { act, createElement, StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { aGrant } from '@/testing/fixtures';
import { useSessionStore } from './session';
import { SocketProvider, useJobSocket } from './socket';

/** Records every WebSocket the app opens. */
class RecordingWebSocket {
  static opened: RecordingWebSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onmessage: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor(readonly url: string) {
    RecordingWebSocket.opened.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
  }
}

/** A component that follows one job, as the output panel does. */
function Follower({ jobId }: { jobId: string }) {
  const socket = useJobSocket();
  useEffect(() => socket?.subscribe(jobId, () => undefined), [socket, jobId]);
  return null;
}

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  RecordingWebSocket.opened = [];
  vi.stubGlobal('WebSocket', RecordingWebSocket);
  useSessionStore.getState().signIn(aGrant('token', 3600, { refresh_token: 'refresh' }));
});
afterEach(() => {
  useSessionStore.getState().signOut();
  vi.unstubAllGlobals();
});

describe('SocketProvider', () => {
  it('connects and subscribes under StrictMode, which mounts, unmounts and mounts again', () => {
    const root = createRoot(document.createElement('div'));
    act(() => root.render(createElement(StrictMode, null, createElement(SocketProvider, null, createElement(Follower, { jobId: 'job-1' })))));
    const live = RecordingWebSocket.opened.filter((socket) => socket.readyState !== 3);
    expect(live).toHaveLength(1);
    live[0]!.readyState = 1;
    act(() => live[0]!.onopen?.({}));
    expect(live[0]!.sent).toContainEqual({ type: 'subscribe', job_id: 'job-1' });
    act(() => root.unmount());
    expect(live[0]!.readyState).toBe(3);
  });
});

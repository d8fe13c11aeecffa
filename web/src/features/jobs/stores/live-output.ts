/**
 * The live view of running jobs: output as it streams in, the latest status and the final
 * execution, per job. Only the tail of very long output is kept, so the page stays smooth
 * however much a program prints (the full, server-capped output is in the stored execution,
 * fetched once the run finishes; the `finished` event carries only a summary).
 */
import { create } from 'zustand';
import type { ExecutionSummary, JobEvent, JobStatus, TestResult } from '@/lib/protocol';

export type SegmentKind = 'stdout' | 'stderr' | 'stdin';

export interface Segment {
  kind: SegmentKind;
  text: string;
}

export interface LiveJob {
  status: JobStatus | null;
  segments: Segment[];
  /** Characters currently held in `segments`. */
  shownChars: number;
  /** Characters dropped from the front to stay under the cap. */
  droppedChars: number;
  /** The highest event sequence number applied. */
  lastSeq: number;
  /** The summary the `finished` event brought (no code, stdin or output). */
  execution: ExecutionSummary | null;
  /** A problem following this job (e.g. the server refused the subscription). */
  error: string | null;
  /** Test results as they arrive, by the test's index. */
  tests: TestResult[];
}

/** How many characters of streamed output are kept for display per job. */
export const MAX_SHOWN_CHARS = 100_000;

export const emptyJob = (): LiveJob => ({
  status: null,
  segments: [],
  shownChars: 0,
  droppedChars: 0,
  lastSeq: 0,
  execution: null,
  error: null,
  tests: [],
});

/** Appends text, merging with the last segment of the same kind, then trims to the cap. */
export function appendText(job: LiveJob, kind: SegmentKind, text: string, cap = MAX_SHOWN_CHARS): LiveJob {
  if (text.length === 0) return job;
  const segments = job.segments.slice();
  const last = segments[segments.length - 1];
  if (last && last.kind === kind) {
    segments[segments.length - 1] = { kind, text: last.text + text };
  } else {
    segments.push({ kind, text });
  }
  let shownChars = job.shownChars + text.length;
  let droppedChars = job.droppedChars;
  while (shownChars > cap && segments.length > 0) {
    const first = segments[0]!;
    const excess = shownChars - cap;
    if (first.text.length <= excess) {
      segments.shift();
      shownChars -= first.text.length;
      droppedChars += first.text.length;
    } else {
      segments[0] = { kind: first.kind, text: first.text.slice(excess) };
      shownChars -= excess;
      droppedChars += excess;
    }
  }
  return { ...job, segments, shownChars, droppedChars };
}

/** Applies one event; events at or below `lastSeq` were already applied and are ignored. */
export function applyEvent(job: LiveJob, event: JobEvent): LiveJob {
  if (event.seq <= job.lastSeq) return job;
  const next = { ...job, lastSeq: event.seq };
  switch (event.type) {
    case 'status':
      return { ...next, status: event.status };
    case 'output':
      return appendText(next, event.stream, event.data);
    case 'test': {
      const tests = next.tests.slice();
      tests[event.index] = event.result;
      return { ...next, tests };
    }
    case 'artifact':
      // Listed by the `finished` summary that follows; nothing to show before it.
      return next;
    case 'finished':
      return { ...next, status: event.execution.status, execution: event.execution };
  }
}

/**
 * Applies a batch of events. Consecutive chunks of one stream are joined before they are
 * appended, so a burst of thousands of tiny chunks costs one copy of the shown text, not one each.
 */
export function applyEvents(job: LiveJob, events: JobEvent[]): LiveJob {
  let current = job;
  let kind: SegmentKind | null = null;
  let parts: string[] = [];
  const flush = () => {
    if (kind && parts.length > 0) current = appendText(current, kind, parts.join(''));
    parts = [];
    kind = null;
  };
  for (const event of events) {
    if (event.seq <= current.lastSeq) continue;
    if (event.type === 'output') {
      if (kind !== event.stream) flush();
      kind = event.stream;
      parts.push(event.data);
      current = { ...current, lastSeq: event.seq };
    } else {
      flush();
      current = applyEvent(current, event);
    }
  }
  flush();
  return current;
}

interface LiveOutputState {
  jobs: Record<string, LiveJob>;
  apply: (jobId: string, event: JobEvent) => void;
  /** Applies several events with one update (one render for a burst of output). */
  applyMany: (jobId: string, events: JobEvent[]) => void;
  /** Shows text the user sent to the program's stdin, in line with its output. */
  echoInput: (jobId: string, text: string) => void;
  setError: (jobId: string, error: string | null) => void;
  forget: (jobId: string) => void;
}

const update = (jobs: Record<string, LiveJob>, jobId: string, change: (job: LiveJob) => LiveJob) => {
  const current = jobs[jobId] ?? emptyJob();
  const next = change(current);
  return next === current ? jobs : { ...jobs, [jobId]: next };
};

export const useLiveOutput = create<LiveOutputState>()((set) => ({
  jobs: {},
  apply: (jobId, event) => set((state) => ({ jobs: update(state.jobs, jobId, (job) => applyEvent(job, event)) })),
  applyMany: (jobId, events) =>
    set((state) => ({ jobs: update(state.jobs, jobId, (job) => applyEvents(job, events)) })),
  echoInput: (jobId, text) =>
    set((state) => ({ jobs: update(state.jobs, jobId, (job) => appendText(job, 'stdin', text)) })),
  setError: (jobId, error) => set((state) => ({ jobs: update(state.jobs, jobId, (job) => ({ ...job, error })) })),
  forget: (jobId) =>
    set((state) => {
      const { [jobId]: _dropped, ...rest } = state.jobs;
      return { jobs: rest };
    }),
}));

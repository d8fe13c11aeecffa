import { beforeEach, describe, expect, it } from 'vitest';
import { aSummary } from '@/testing/fixtures';
import { appendText, applyEvent, applyEvents, emptyJob, useLiveOutput } from './live-output';

const out = (seq: number, data: string, stream: 'stdout' | 'stderr' = 'stdout') =>
  ({ type: 'output', job_id: 'j', seq, stream, data }) as const;

beforeEach(() => useLiveOutput.setState({ jobs: {} }));

describe('live output', () => {
  it('merges consecutive chunks of one stream and keeps streams apart', () => {
    let job = emptyJob();
    job = applyEvent(job, out(1, 'a'));
    job = applyEvent(job, out(2, 'b'));
    job = applyEvent(job, out(3, 'E', 'stderr'));
    job = applyEvent(job, out(4, 'c'));
    expect(job.segments).toEqual([
      { kind: 'stdout', text: 'ab' },
      { kind: 'stderr', text: 'E' },
      { kind: 'stdout', text: 'c' },
    ]);
    expect(job.lastSeq).toBe(4);
  });

  it('ignores an event it has already applied', () => {
    let job = applyEvent(emptyJob(), out(1, 'a'));
    job = applyEvent(job, out(1, 'a'));
    expect(job.segments).toEqual([{ kind: 'stdout', text: 'a' }]);
  });

  it('keeps only the tail of long output and counts what it dropped', () => {
    let job = emptyJob();
    job = appendText(job, 'stdout', 'x'.repeat(6), 10);
    job = appendText(job, 'stderr', 'y'.repeat(6), 10);
    expect(job.shownChars).toBe(10);
    expect(job.droppedChars).toBe(2);
    expect(job.segments).toEqual([
      { kind: 'stdout', text: 'xxxx' },
      { kind: 'stderr', text: 'yyyyyy' },
    ]);
    job = appendText(job, 'stdout', 'z'.repeat(8), 10);
    expect(job.segments).toEqual([
      { kind: 'stderr', text: 'yy' },
      { kind: 'stdout', text: 'zzzzzzzz' },
    ]);
    expect(job.droppedChars).toBe(10);
  });

  it('records status and the finished execution', () => {
    const store = useLiveOutput.getState();
    store.apply('j', { type: 'status', job_id: 'j', seq: 1, status: 'running' });
    expect(useLiveOutput.getState().jobs.j?.status).toBe('running');
    store.apply('j', {
      type: 'finished',
      job_id: 'j',
      seq: 2,
      execution: aSummary({ status: 'timed_out', message: 'time limit' }),
    });
    const job = useLiveOutput.getState().jobs.j;
    expect(job?.status).toBe('timed_out');
    expect(job?.execution?.message).toBe('time limit');
  });

  it('shows echoed input in line with the output', () => {
    const store = useLiveOutput.getState();
    store.apply('j', out(1, 'Name? '));
    store.echoInput('j', 'Ada\n');
    store.apply('j', out(2, 'Hello, Ada\n'));
    expect(useLiveOutput.getState().jobs.j?.segments.map((s) => s.kind)).toEqual(['stdout', 'stdin', 'stdout']);
  });

  it('applies a batch like one event at a time, joining chunks and skipping seen ones', () => {
    const events = [
      out(1, 'a'),
      out(2, 'b'),
      out(3, 'E', 'stderr'),
      { type: 'status', job_id: 'j', seq: 4, status: 'running' } as const,
      out(5, 'c'),
      out(5, 'c'),
      out(6, 'd'),
    ];
    const batched = applyEvents(emptyJob(), events);
    const oneByOne = events.reduce(applyEvent, emptyJob());
    expect(batched).toEqual(oneByOne);
    expect(batched.segments).toEqual([
      { kind: 'stdout', text: 'ab' },
      { kind: 'stderr', text: 'E' },
      { kind: 'stdout', text: 'cd' },
    ]);
    expect(batched.lastSeq).toBe(6);
  });
});

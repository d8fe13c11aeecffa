import { describe, expect, it } from 'vitest';
import { aListItem, aSummary, anExecution, JOB_ID } from '@/testing/fixtures';
import { analysisSchema, executionPageSchema, executionSchema, isFinished, parseServerMessage } from './protocol';

const execution = anExecution({
  status: 'succeeded',
  exit_code: 0,
  stdout: '1\n',
  wall_time_ms: 12,
  cpu_time_ms: 9,
  peak_memory_kib: 9120,
  attempts: 1,
  started_at: '2026-01-01T00:00:00Z',
  finished_at: '2026-01-01T00:00:01Z',
});
const summary = aSummary({ status: 'succeeded', exit_code: 0, attempts: 1 });

describe('server messages', () => {
  it('accepts every message type of the protocol', () => {
    const frames = [
      { type: 'status', job_id: JOB_ID, seq: 1, status: 'running' },
      { type: 'output', job_id: JOB_ID, seq: 2, stream: 'stderr', data: 'oops\n' },
      // The light finished event: no code, stdin or output.
      { type: 'finished', job_id: JOB_ID, seq: 3, execution: summary },
      { type: 'error', code: 'not_found', message: 'no such job' },
      { type: 'error', code: 'not_found', message: 'no such job', job_id: JOB_ID },
    ];
    for (const frame of frames) {
      const parsed = parseServerMessage(JSON.stringify(frame));
      expect(parsed.ok, JSON.stringify(frame)).toBe(true);
      if (parsed.ok) expect(parsed.message.type).toBe(frame.type);
    }
  });

  it('rejects unknown types, unknown statuses, bad seq, bad ids and non-JSON with a reason', () => {
    const output = { type: 'output', job_id: JOB_ID, seq: 1, stream: 'stdout', data: 'x' };
    const bad = [
      'hello',
      JSON.stringify({ ...output, type: 'gossip' }),
      JSON.stringify({ type: 'status', job_id: JOB_ID, seq: 1, status: 'exploded' }),
      JSON.stringify({ ...output, seq: 0 }),
      JSON.stringify({ ...output, data: undefined }),
      JSON.stringify({ ...output, job_id: 'not-a-job-id' }),
      JSON.stringify({ type: 'finished', job_id: JOB_ID, seq: 2, execution: { id: JOB_ID } }),
    ];
    expect(parseServerMessage(JSON.stringify(output)).ok).toBe(true);
    for (const frame of bad) {
      const parsed = parseServerMessage(frame);
      expect(parsed.ok, frame).toBe(false);
      if (!parsed.ok) expect(parsed.error.length).toBeGreaterThan(0);
    }
  });
});

describe('execution', () => {
  it('parses the full execution object and tolerates new fields', () => {
    const parsed = executionSchema.parse({ ...execution, something_new: true });
    expect(parsed.peak_memory_kib).toBe(9120);
    expect(parsed.limits.time_limit_ms).toBe(5000);
    expect(parsed).not.toHaveProperty('something_new');
  });

  it('parses a history page of summaries, which carry no code or output', () => {
    const page = executionPageSchema.parse({
      items: [aListItem({ test_count: 3, tests_passed: 2 }), aListItem({ status: 'queued', finished_at: null })],
      next_cursor: 'abc',
    });
    expect(page.items[0]?.tests_passed).toBe(2);
    expect(page.items[0]).not.toHaveProperty('stdout');
    // A whole execution is not a history line: the summary's fields are required.
    expect(executionPageSchema.safeParse({ items: [execution], next_cursor: null }).success).toBe(false);
  });

  it('knows which statuses are final', () => {
    expect(isFinished('queued')).toBe(false);
    expect(isFinished('running')).toBe(false);
    for (const status of ['succeeded', 'failed', 'timed_out', 'cancelled', 'internal_error'] as const) {
      expect(isFinished(status)).toBe(true);
    }
  });
});

describe('analysis', () => {
  it('parses an analysis with functions, hotspots and measurements', () => {
    const parsed = analysisSchema.parse({
      time_complexity: 'O(n^2)',
      space_complexity: 'O(1)',
      explanation: 'Two nested loops over the input.',
      confidence: 0.9,
      source: 'static',
      functions: [
        {
          name: 'pairs',
          line: 1,
          time_complexity: 'O(n^2)',
          space_complexity: 'O(1)',
          hotspots: [{ line: 3, reason: 'nested loop' }],
        },
      ],
      notes: [],
      disagreement: null,
      measurements: {
        function: 'pairs',
        points: [{ n: 10, seconds: 0.001 }],
        verdict: 'O(n^2)',
        confidence: 0.9,
      },
    });
    expect(parsed.functions[0]?.hotspots[0]?.line).toBe(3);
    expect(parsed.measurements?.points).toHaveLength(1);
  });

  it('rejects a hotspot on line 0 (lines are 1-based)', () => {
    const analysis = (line: number) => ({
      time_complexity: 'O(1)',
      space_complexity: 'O(1)',
      explanation: '',
      confidence: 0.5,
      source: 'static',
      functions: [{ name: 'f', line: 1, time_complexity: 'O(1)', space_complexity: 'O(1)', hotspots: [{ line, reason: 'x' }] }],
    });
    expect(analysisSchema.safeParse(analysis(1)).success).toBe(true);
    expect(analysisSchema.safeParse(analysis(0)).success).toBe(false);
  });
});

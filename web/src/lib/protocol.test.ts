import { describe, expect, it } from 'vitest';
import { analysisSchema, executionSchema, isFinished, parseServerMessage } from './protocol';

const execution = {
  id: '0193f1c2-7f00-7000-8000-000000000001',
  user_id: 'u1',
  status: 'succeeded',
  code: 'print(1)',
  stdin: '',
  exit_code: 0,
  signal: null,
  message: null,
  stdout: '1\n',
  stderr: '',
  stdout_truncated: false,
  stderr_truncated: false,
  wall_time_ms: 12,
  cpu_time_ms: 9,
  peak_memory_kib: 9120,
  limits: { time_limit_ms: 30000, cpu_cores: 1, memory_limit_mib: 256, output_limit_kib: 1024 },
  attempts: 1,
  created_at: '2026-01-01T00:00:00Z',
  started_at: '2026-01-01T00:00:00Z',
  finished_at: '2026-01-01T00:00:01Z',
};

describe('server messages', () => {
  it('accepts every message type of the protocol', () => {
    const frames = [
      { type: 'status', job_id: 'j', seq: 1, status: 'running' },
      { type: 'output', job_id: 'j', seq: 2, stream: 'stderr', data: 'oops\n' },
      { type: 'finished', job_id: 'j', seq: 3, execution },
      // The light finished event: no code, stdin or output.
      {
        type: 'finished',
        job_id: 'j',
        seq: 3,
        execution: Object.fromEntries(
          Object.entries(execution).filter(([key]) => !['code', 'stdin', 'stdout', 'stderr'].includes(key)),
        ),
      },
      { type: 'error', code: 'not_found', message: 'no such job' },
    ];
    for (const frame of frames) {
      const parsed = parseServerMessage(JSON.stringify(frame));
      expect(parsed.ok, JSON.stringify(frame)).toBe(true);
      if (parsed.ok) expect(parsed.message.type).toBe(frame.type);
    }
  });

  it('rejects unknown types, unknown statuses, bad seq and non-JSON with a reason', () => {
    const bad = [
      'hello',
      JSON.stringify({ type: 'gossip', job_id: 'j' }),
      JSON.stringify({ type: 'status', job_id: 'j', seq: 1, status: 'exploded' }),
      JSON.stringify({ type: 'output', job_id: 'j', seq: 0, stream: 'stdout', data: 'x' }),
      JSON.stringify({ type: 'output', job_id: 'j', seq: 1, stream: 'stdout' }),
      JSON.stringify({ type: 'finished', job_id: 'j', seq: 2, execution: { id: 'j' } }),
    ];
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
    expect(parsed.limits?.time_limit_ms).toBe(30000);
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
    const result = analysisSchema.safeParse({
      time_complexity: 'O(1)',
      space_complexity: 'O(1)',
      explanation: '',
      source: 'static',
      functions: [{ name: 'f', line: 1, time_complexity: 'O(1)', space_complexity: 'O(1)', hotspots: [{ line: 0, reason: 'x' }] }],
    });
    expect(result.success).toBe(false);
  });
});

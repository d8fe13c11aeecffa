/**
 * Complete wire objects for tests, typed by the generated protocol: a fixture that misses a
 * field the server always sends fails to compile, as the page would fail to parse it.
 */
import type { Execution, ExecutionListItem, ExecutionSummary, User } from '@/lib/protocol';
import type { SessionGrant } from '@/lib/session';

/** The id of the job the fixtures describe. */
export const JOB_ID = '00000000-0000-4000-8000-0000000000b1';

export const aUser = (overrides: Partial<User> = {}): User => ({
  id: '00000000-0000-4000-8000-00000000000a',
  username: 'ada',
  role: 'user',
  disabled: false,
  created_at: '2026-01-01T00:00:00Z',
  ...overrides,
});

/** What signing in returns; no refresh token unless `refresh_token` is given. */
export const aGrant = (token: string, expiresIn: number, overrides: Partial<SessionGrant> = {}): SessionGrant => ({
  access_token: token,
  token_type: 'Bearer',
  expires_in: expiresIn,
  user: aUser(),
  ...overrides,
});

export const aSummary = (overrides: Partial<ExecutionSummary> = {}): ExecutionSummary => ({
  id: JOB_ID,
  user_id: '00000000-0000-4000-8000-00000000000a',
  status: 'queued',
  attempts: 0,
  interactive: false,
  stdout_truncated: false,
  stderr_truncated: false,
  limits: {
    time_limit_ms: 5000,
    cpu_cores: 1,
    memory_limit_mib: 256,
    max_processes: 32,
    max_open_files: 64,
    max_file_size_mib: 16,
    disk_limit_mib: 64,
    output_limit_kib: 1024,
  },
  created_at: '2026-01-01T00:00:00Z',
  ...overrides,
});

export const anExecution = (overrides: Partial<Execution> = {}): Execution => ({
  ...aSummary(),
  code: 'print("hi")',
  stdin: '',
  stdout: '',
  stderr: '',
  ...overrides,
});

/** One line of the history (`GET /executions`): no code, stdin or output. */
export const aListItem = (overrides: Partial<ExecutionListItem> = {}): ExecutionListItem => ({
  id: JOB_ID,
  user_id: '00000000-0000-4000-8000-00000000000a',
  status: 'succeeded',
  code_preview: 'print("hi")',
  code_bytes: 11,
  stdin_bytes: 0,
  stdout_bytes: 3,
  stderr_bytes: 0,
  exit_code: 0,
  wall_time_ms: 12,
  cpu_time_ms: 9,
  peak_memory_kib: 9120,
  test_count: 0,
  tests_passed: 0,
  artifact_count: 0,
  created_at: '2026-01-01T00:00:00Z',
  finished_at: '2026-01-01T00:00:01Z',
  ...overrides,
});

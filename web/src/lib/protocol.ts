/**
 * The wire protocol of the Code Remote API (DESIGN.md), as zod schemas.
 *
 * Everything the server sends is parsed through these schemas before the app uses it, so a
 * server that drifts from the contract fails loudly here instead of deep inside a component.
 * Unknown extra fields are allowed (the server may extend objects); missing or mistyped
 * required fields are errors.
 */
import { z } from 'zod';

export const JOB_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'timed_out',
  'memory_exceeded',
  'output_exceeded',
  'cancelled',
  'internal_error',
] as const;
export const jobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof jobStatusSchema>;

/** True once a job can no longer change. */
export function isFinished(status: JobStatus): boolean {
  return status !== 'queued' && status !== 'running';
}

const count = z.number().int().nonnegative();

export const limitsSchema = z.object({
  time_limit_ms: count.optional(),
  cpu_cores: z.number().positive().optional(),
  memory_limit_mib: count.optional(),
  max_processes: count.optional(),
  max_open_files: count.optional(),
  max_file_size_mib: count.optional(),
  disk_limit_mib: count.optional(),
  output_limit_kib: count.optional(),
});
export type Limits = z.infer<typeof limitsSchema>;

/** A file a run handed back (`/box/out/`, matplotlib figures). */
export const artifactSchema = z.object({
  name: z.string().min(1),
  media_type: z.string(),
  size_bytes: count,
  sha256: z.string(),
});
export type Artifact = z.infer<typeof artifactSchema>;

export const executionSchema = z.object({
  id: z.string().min(1),
  user_id: z.string().nullish(),
  status: jobStatusSchema,
  code: z.string().nullish(),
  stdin: z.string().nullish(),
  exit_code: z.number().int().nullish(),
  signal: z.union([z.number(), z.string()]).nullish(),
  message: z.string().nullish(),
  stdout: z.string().nullish(),
  stderr: z.string().nullish(),
  stdout_truncated: z.boolean().nullish(),
  stderr_truncated: z.boolean().nullish(),
  wall_time_ms: z.number().nullish(),
  cpu_time_ms: z.number().nullish(),
  peak_memory_kib: z.number().nullish(),
  limits: limitsSchema.nullish(),
  /** Whether stdin stays open for lines sent over the WebSocket while it runs. */
  interactive: z.boolean().nullish(),
  attempts: z.number().nullish(),
  created_at: z.string(),
  started_at: z.string().nullish(),
  finished_at: z.string().nullish(),
  artifacts: z.array(artifactSchema).nullish(),
  /** Why files were not handed back (over a limit, a link, …). */
  artifacts_skipped: z.array(z.string()).nullish(),
});
export type Execution = z.infer<typeof executionSchema>;

/**
 * What the `finished` event carries: the execution without its code, stdin, stdout and stderr
 * (the stream had the output; `GET /executions/{id}` has all of it).
 */
export const executionSummarySchema = executionSchema.omit({ code: true, stdin: true, stdout: true, stderr: true });
export type ExecutionSummary = z.infer<typeof executionSummarySchema>;

export const executionPageSchema = z.object({
  items: z.array(executionSchema),
  next_cursor: z.string().nullish(),
});
export type ExecutionPage = z.infer<typeof executionPageSchema>;

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const authResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().positive(),
  refresh_token: z.string().nullish(),
  user: userSchema,
});
export type AuthResponse = z.infer<typeof authResponseSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().nullish(),
  }),
});

export const hotspotSchema = z.object({
  line: z.number().int().positive(),
  reason: z.string(),
});
export type Hotspot = z.infer<typeof hotspotSchema>;

export const functionAnalysisSchema = z.object({
  name: z.string(),
  line: z.number().int(),
  time_complexity: z.string(),
  space_complexity: z.string(),
  hotspots: z.array(hotspotSchema).default([]),
});
export type FunctionAnalysis = z.infer<typeof functionAnalysisSchema>;

/** `Measurements` of crates/analyzer/src/model.rs: the timed function, points and best fit. */
export const measurementsSchema = z.object({
  function: z.string(),
  points: z.array(z.object({ n: z.number(), seconds: z.number() })),
  verdict: z.string(),
  confidence: z.number(),
});
export type Measurements = z.infer<typeof measurementsSchema>;

export const analysisSchema = z.object({
  time_complexity: z.string(),
  space_complexity: z.string(),
  explanation: z.string(),
  confidence: z.number().nullish(),
  source: z.string(),
  functions: z.array(functionAnalysisSchema).default([]),
  notes: z.array(z.string()).nullish(),
  disagreement: z.string().nullish(),
  measurements: measurementsSchema.nullish(),
});
export type Analysis = z.infer<typeof analysisSchema>;

/** `GET /runtime`: what programs run with. */
export const runtimeSchema = z.object({
  language: z.string(),
  python_version: z.string(),
  packages: z.array(z.object({ name: z.string(), version: z.string() })),
  default_limits: limitsSchema,
  max_limits: limitsSchema,
  artifacts: z.object({ max_files: count, max_total_bytes: count }),
});
export type Runtime = z.infer<typeof runtimeSchema>;

/** Messages the server sends over the WebSocket. */
export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('status'),
    job_id: z.string(),
    seq: z.number().int().positive(),
    status: jobStatusSchema,
  }),
  z.object({
    type: z.literal('output'),
    job_id: z.string(),
    seq: z.number().int().positive(),
    stream: z.enum(['stdout', 'stderr']),
    data: z.string(),
  }),
  z.object({
    type: z.literal('artifact'),
    job_id: z.string(),
    seq: z.number().int().positive(),
    artifact: artifactSchema,
  }),
  z.object({
    type: z.literal('finished'),
    job_id: z.string(),
    seq: z.number().int().positive(),
    execution: executionSummarySchema,
  }),
  z.object({
    type: z.literal('error'),
    code: z.string(),
    message: z.string(),
    job_id: z.string().nullish(),
  }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type JobEvent = Exclude<ServerMessage, { type: 'error' }>;

/** Messages the client sends over the WebSocket. */
export type ClientMessage =
  /** Events with `seq <= after_seq` were seen already: the server does not send them again. */
  | { type: 'subscribe'; job_id: string; after_seq?: number }
  | { type: 'unsubscribe'; job_id: string }
  | { type: 'stdin'; job_id: string; data: string }
  | { type: 'close_stdin'; job_id: string }
  | { type: 'cancel'; job_id: string };

/** Parses one raw WebSocket frame; returns an error string instead of throwing. */
export function parseServerMessage(
  raw: string,
): { ok: true; message: ServerMessage } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'message is not JSON' };
  }
  const parsed = serverMessageSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, error: z.prettifyError(parsed.error) };
  }
  return { ok: true, message: parsed.data };
}

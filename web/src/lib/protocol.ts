/**
 * The wire protocol of the Code Remote API (DESIGN.md), as zod schemas.
 *
 * Everything the server sends is parsed through these schemas before the app uses it, so a
 * server that drifts from the contract fails loudly here instead of deep inside a component.
 * Unknown extra fields are dropped (the server may extend objects); missing or mistyped
 * required fields are errors.
 */
import { z } from 'zod';

import {
  zAnalysis,
  zArtifactInfo,
  zClientMessage,
  zCompare,
  zError,
  zExecution,
  zExecutionListItem,
  zExecutionPage,
  zExecutionSummary,
  zFunctionAnalysis,
  zHotspot,
  zJobEvent,
  zJobStatus,
  zLimits,
  zMeasurements,
  zRuntime,
  zTestCase,
  zTestResult,
  zTokenResponse,
  zUserView,
  zVerdict,
  zWsError,
} from './api/generated/zod.gen';

// The schemas are generated from the server's OpenAPI document (`scripts/gen-api`); this module
// names them for the app and adds what the document cannot say.

export const jobStatusSchema = zJobStatus;
export type JobStatus = z.infer<typeof jobStatusSchema>;
export const JOB_STATUSES = jobStatusSchema.options;

/** True once a job can no longer change. */
export function isFinished(status: JobStatus): boolean {
  return status !== 'queued' && status !== 'running';
}

export const limitsSchema = zLimits;
export type Limits = z.infer<typeof limitsSchema>;

export const verdictSchema = zVerdict;
export type Verdict = z.infer<typeof verdictSchema>;
export const VERDICTS = verdictSchema.options;

export const compareSchema = zCompare;
export type Compare = z.infer<typeof compareSchema>;

/** One test case as the API takes it: input and the output expected of it. */
export const testCaseSchema = zTestCase;
export type TestCase = z.infer<typeof testCaseSchema>;

/** What one test produced (stdout and stderr are capped by the server). */
export const testResultSchema = zTestResult;
export type TestResult = z.infer<typeof testResultSchema>;

/** A file a run handed back (`/box/out/`, matplotlib figures). */
export const artifactSchema = zArtifactInfo;
export type Artifact = z.infer<typeof artifactSchema>;

export const executionSchema = zExecution;
export type Execution = z.infer<typeof executionSchema>;

/**
 * What the `finished` event carries: the execution without its code, stdin, stdout and stderr
 * (the stream had the output; `GET /executions/{id}` has all of it).
 */
export const executionSummarySchema = zExecutionSummary;
export type ExecutionSummary = z.infer<typeof executionSummarySchema>;

/** One line of the history: no code, stdin or output (opening the run fetches those). */
export const executionListItemSchema = zExecutionListItem;
export type ExecutionListItem = z.infer<typeof executionListItemSchema>;

export const executionPageSchema = zExecutionPage;
export type ExecutionPage = z.infer<typeof executionPageSchema>;

export const userSchema = zUserView;
export type User = z.infer<typeof userSchema>;

export const authResponseSchema = zTokenResponse;
export type AuthResponse = z.infer<typeof authResponseSchema>;

export const errorBodySchema = zError;

export const hotspotSchema = zHotspot;
export type Hotspot = z.infer<typeof hotspotSchema>;

export const functionAnalysisSchema = zFunctionAnalysis;
export type FunctionAnalysis = z.infer<typeof functionAnalysisSchema>;

/** The timed function, its points and the best fit (`measurements.verdict`). */
export const measurementsSchema = zMeasurements;
export type Measurements = z.infer<typeof measurementsSchema>;

export const analysisSchema = zAnalysis;
export type Analysis = z.infer<typeof analysisSchema>;

/** `GET /runtime`: what programs run with. */
export const runtimeSchema = zRuntime;
export type Runtime = z.infer<typeof runtimeSchema>;

/** Messages the server sends over the WebSocket: a job's events, and errors. */
export const serverMessageSchema = z.union([zJobEvent, zWsError]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type JobEvent = z.infer<typeof zJobEvent>;

/** Messages the client sends over the WebSocket. */
export type ClientMessage = z.infer<typeof zClientMessage>;

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

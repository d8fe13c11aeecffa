/** POST /analyses: the time and space complexity of a program. */
import { useMutation } from '@tanstack/react-query';
import type { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { zMode } from '@/lib/api/generated/zod.gen';
import { type Analysis, analysisSchema } from '@/lib/protocol';

export const ANALYSIS_MODES = zMode.options;
export type AnalysisMode = z.infer<typeof zMode>;

export const MODE_LABELS: Record<AnalysisMode, string> = {
  static: 'Static',
  empirical: 'Measured',
  llm: 'LLM',
  auto: 'Auto',
};

export interface AnalysisInput {
  code: string;
  mode: AnalysisMode;
}

export function createAnalysis(input: AnalysisInput): Promise<Analysis> {
  return apiRequest('/analyses', analysisSchema, { body: input });
}

export function useAnalyze() {
  return useMutation({ mutationFn: createAnalysis });
}

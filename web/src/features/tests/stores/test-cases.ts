/**
 * The test cases being written beside the code: input and expected output pairs, and whether
 * output must match exactly. Kept in localStorage with the editor session, and refilled from a
 * saved run that had tests.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { TestCase } from '@/lib/protocol';

/** The server's bound (crates/core/src/judging.rs). */
export const MAX_TESTS = 64;

export interface DraftCase {
  /** Local identity for React keys; never sent. */
  id: string;
  name: string;
  stdin: string;
  expected: string;
}

export interface TestCasesState {
  cases: DraftCase[];
  exact: boolean;
  add: () => void;
  update: (id: string, change: Partial<Omit<DraftCase, 'id'>>) => void;
  remove: (id: string) => void;
  setExact: (exact: boolean) => void;
  /** The run whose cases were last loaded (or that these cases were sent with). */
  loadedRunId: string | null;
  /** Replaces every case with a saved run's, once per run. */
  loadRun: (
    runId: string,
    cases: TestCase[],
    exact: boolean,
  ) => void;
  markLoaded: (runId: string) => void;
}

let counter = 0;
const newId = () => `case-${Date.now().toString(36)}-${(counter += 1)}`;

export const useTestCases = create<TestCasesState>()(
  persist(
    (set) => ({
      cases: [],
      exact: false,
      add: () =>
        set((state) =>
          state.cases.length >= MAX_TESTS
            ? state
            : { cases: [...state.cases, { id: newId(), name: '', stdin: '', expected: '' }] },
        ),
      update: (id, change) =>
        set((state) => ({ cases: state.cases.map((c) => (c.id === id ? { ...c, ...change } : c)) })),
      remove: (id) => set((state) => ({ cases: state.cases.filter((c) => c.id !== id) })),
      setExact: (exact) => set({ exact }),
      loadedRunId: null,
      loadRun: (runId, cases, exact) =>
        set((state) =>
          state.loadedRunId === runId
            ? state
            : {
                cases: cases.map((c) => ({
                  id: newId(),
                  name: c.name ?? '',
                  stdin: c.stdin ?? '',
                  expected: c.expected_output,
                })),
                exact,
                loadedRunId: runId,
              },
        ),
      markLoaded: (runId) => set({ loadedRunId: runId }),
    }),
    { name: 'code-remote-tests' },
  ),
);

/** The cases as `POST /executions` takes them. */
export function toRequest(cases: DraftCase[]) {
  return cases.map((c) => ({
    ...(c.name.trim() ? { name: c.name.trim() } : {}),
    stdin: c.stdin,
    expected_output: c.expected,
  }));
}

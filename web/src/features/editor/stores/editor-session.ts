/**
 * The editor session: the code being written, the input to give it, the run options, and which
 * saved run the editor was last filled from. Kept in localStorage so a reload loses nothing.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export const SAMPLE_PROGRAM = `def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


name = input("What is your name? ")
print(f"Hello, {name}!")
for i in range(10):
    print(i, fib(i))
`;

export interface EditorSessionState {
  code: string;
  stdin: string;
  /** Seconds; empty string means the server's default. */
  timeLimit: string;
  /** Keep stdin open while the program runs, for answering input() live. */
  interactive: boolean;
  /** The run whose code and input were last loaded into the editor. */
  loadedRunId: string | null;
  setCode: (code: string) => void;
  setStdin: (stdin: string) => void;
  setTimeLimit: (timeLimit: string) => void;
  setInteractive: (interactive: boolean) => void;
  /** Fills the editor from a saved run, once per run. Returns whether anything changed. */
  loadRun: (run: { id: string; code: string; stdin: string }) => boolean;
  markLoaded: (runId: string) => void;
}

export const useEditorSession = create<EditorSessionState>()(
  persist(
    (set, get) => ({
      code: SAMPLE_PROGRAM,
      stdin: '',
      timeLimit: '',
      interactive: true,
      loadedRunId: null,
      setCode: (code) => set({ code }),
      setStdin: (stdin) => set({ stdin }),
      setTimeLimit: (timeLimit) => set({ timeLimit }),
      setInteractive: (interactive) => set({ interactive }),
      loadRun: (run) => {
        if (get().loadedRunId === run.id) return false;
        set({ code: run.code, stdin: run.stdin, loadedRunId: run.id });
        return true;
      },
      markLoaded: (runId) => set({ loadedRunId: runId }),
    }),
    { name: 'code-remote-editor' },
  ),
);

/** The time limit field as milliseconds, or an error message for the field. */
export function parseTimeLimit(value: string): { ok: true; ms: number | null } | { ok: false; error: string } {
  const trimmed = value.trim();
  if (trimmed === '') return { ok: true, ms: null };
  const seconds = Number(trimmed);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    return { ok: false, error: 'Enter a positive number of seconds.' };
  }
  return { ok: true, ms: Math.round(seconds * 1000) };
}

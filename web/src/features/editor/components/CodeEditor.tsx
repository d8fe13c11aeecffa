/**
 * The code editor as the rest of the app sees it. Monaco is loaded on demand (its own chunk),
 * so the page paints and works before the editor's ~megabyte of JavaScript arrives.
 */
import { lazy, Suspense } from 'react';

export interface EditorHighlight {
  /** 1-based line number. */
  line: number;
  /** Shown when hovering the line (Markdown). */
  message: string;
}

export interface EditorMarker {
  line: number;
  column: number;
  message: string;
}

export interface EditorProps {
  value: string;
  onChange: (value: string) => void;
  /** Ctrl/Cmd+Enter. */
  onRun: () => void;
  highlights: EditorHighlight[];
  markers: EditorMarker[];
  theme: 'light' | 'dark';
  /** Bring a line into view and put the cursor there; a new object each request. */
  reveal: { line: number } | null;
  label: string;
}

const MonacoEditor = lazy(() => import('./MonacoEditor'));

function EditorLoading({ value }: { value: string }) {
  return (
    <div className="monaco-host editor-loading" aria-busy="true">
      <pre aria-hidden="true">{value}</pre>
      <span className="visually-hidden" role="status">
        Loading the editor…
      </span>
    </div>
  );
}

export function CodeEditor(props: EditorProps) {
  return (
    <Suspense fallback={<EditorLoading value={props.value} />}>
      <MonacoEditor {...props} />
    </Suspense>
  );
}

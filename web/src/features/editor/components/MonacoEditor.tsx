/**
 * The Monaco editor itself (loaded lazily through `CodeEditor`). It is controlled loosely: the
 * text lives in Monaco while the person types and is reported through `onChange`; a new `value`
 * from outside (opening a saved run) replaces it as one undoable edit.
 */
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { EditorMarker, EditorProps } from './CodeEditor';
import { monaco } from './monaco';

const MARKER_OWNER = 'code-remote';

function toMarkers(markers: EditorMarker[]): monaco.editor.IMarkerData[] {
  return markers.map((marker) => ({
    severity: monaco.MarkerSeverity.Error,
    message: marker.message,
    startLineNumber: marker.line,
    startColumn: marker.column,
    endLineNumber: marker.line,
    endColumn: marker.column + 1,
  }));
}

export default function MonacoEditor({
  value,
  onChange,
  onRun,
  highlights,
  markers,
  theme,
  reveal,
  label,
}: EditorProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const decorationsRef = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const callbacks = useRef({ onChange, onRun });
  // The editor's handlers, set up once, call the latest props.
  useLayoutEffect(() => {
    callbacks.current = { onChange, onRun };
  });

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const editor = monaco.editor.create(container, {
      value,
      language: 'python',
      theme: theme === 'dark' ? 'vs-dark' : 'vs',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 14,
      lineNumbersMinChars: 3,
      scrollBeyondLastLine: false,
      tabSize: 4,
      insertSpaces: true,
      ariaLabel: label,
      glyphMargin: false,
      renderLineHighlight: 'line',
      padding: { top: 8, bottom: 8 },
      fixedOverflowWidgets: true,
    });
    editorRef.current = editor;
    decorationsRef.current = editor.createDecorationsCollection();
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => callbacks.current.onRun());
    const subscription = editor.onDidChangeModelContent(() => callbacks.current.onChange(editor.getValue()));
    container.dataset.ready = 'true';
    performance.mark('code-remote:editor-ready');
    return () => {
      subscription.dispose();
      editor.getModel()?.dispose();
      editor.dispose();
      editorRef.current = null;
    };
    // Created once with the first props; later changes are applied by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || model.getValue() === value) return;
    editor.pushUndoStop();
    editor.executeEdits('load', [{ range: model.getFullModelRange(), text: value }]);
    editor.pushUndoStop();
  }, [value]);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme]);

  useEffect(() => {
    decorationsRef.current?.set(
      highlights.map((highlight) => ({
        range: new monaco.Range(highlight.line, 1, highlight.line, 1),
        options: {
          isWholeLine: true,
          className: 'hotspot-line',
          linesDecorationsClassName: 'hotspot-gutter',
          hoverMessage: { value: highlight.message },
          overviewRuler: { color: '#f59e0b', position: monaco.editor.OverviewRulerLane.Right },
        },
      })),
    );
  }, [highlights]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model) monaco.editor.setModelMarkers(model, MARKER_OWNER, toMarkers(markers));
  }, [markers]);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || !reveal) return;
    editor.revealLineInCenter(reveal.line);
    editor.setPosition({ lineNumber: reveal.line, column: 1 });
    editor.focus();
  }, [reveal]);

  return <div ref={containerRef} className="monaco-host" data-testid="code-editor" />;
}

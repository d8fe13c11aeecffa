import { beforeEach, describe, expect, it } from 'vitest';
import { parseTimeLimit, useEditorSession } from './editor-session';

beforeEach(() => useEditorSession.setState({ code: '', stdin: '', loadedRunId: null }));

describe('editor session', () => {
  it('loads a saved run once, so later edits are not overwritten', () => {
    const store = useEditorSession.getState();
    expect(store.loadRun({ id: 'r1', code: 'print(1)', stdin: 'x' })).toBe(true);
    useEditorSession.getState().setCode('print(2)');
    expect(useEditorSession.getState().loadRun({ id: 'r1', code: 'print(1)', stdin: 'x' })).toBe(false);
    expect(useEditorSession.getState().code).toBe('print(2)');
    expect(useEditorSession.getState().loadRun({ id: 'r2', code: 'print(3)', stdin: '' })).toBe(true);
    expect(useEditorSession.getState().code).toBe('print(3)');
  });

  it('parses the time limit field in seconds', () => {
    expect(parseTimeLimit('')).toEqual({ ok: true, ms: null });
    expect(parseTimeLimit('2')).toEqual({ ok: true, ms: 2000 });
    expect(parseTimeLimit('0.5')).toEqual({ ok: true, ms: 500 });
    expect(parseTimeLimit('-1').ok).toBe(false);
    expect(parseTimeLimit('abc').ok).toBe(false);
  });
});

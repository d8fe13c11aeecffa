/** While a program runs: send lines to its stdin, or close it (end of input). */
import { type FormEvent, useState } from 'react';
import { useJobSocket } from '@/lib/socket';
import { useLiveOutput } from '../stores/live-output';

export function LiveInput({ jobId }: { jobId: string }) {
  const socket = useJobSocket();
  const [line, setLine] = useState('');
  const [closed, setClosed] = useState(false);

  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!socket || closed) return;
    const data = `${line}\n`;
    socket.send({ type: 'stdin', job_id: jobId, data });
    useLiveOutput.getState().echoInput(jobId, data);
    setLine('');
  };

  const close = () => {
    if (!socket) return;
    socket.send({ type: 'close_stdin', job_id: jobId });
    setClosed(true);
  };

  return (
    <form className="live-input" onSubmit={send}>
      <label htmlFor="live-input" className="visually-hidden">
        Send a line to the program&apos;s input
      </label>
      <input
        id="live-input"
        autoComplete="off"
        placeholder={closed ? 'Input closed' : 'Type a line for input() and press Enter'}
        value={line}
        disabled={closed}
        onChange={(event) => setLine(event.target.value)}
      />
      <button type="submit" className="button" disabled={closed}>
        Send
      </button>
      <button type="button" className="button button-quiet" onClick={close} disabled={closed} title="Send end-of-file">
        Close input
      </button>
    </form>
  );
}

import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>Page not found</h1>
        <p className="muted">There is nothing at this address.</p>
        <Link to="/" className="button button-primary">
          Back to the editor
        </Link>
      </div>
    </main>
  );
}

//! The HTTP and WebSocket API and the embedded web app.

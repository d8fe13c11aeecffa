//! Jobs, queue, users and keys on SQLite or PostgreSQL.

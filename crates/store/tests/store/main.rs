//! One behavioural suite for both backends: every case runs on SQLite, and on PostgreSQL when
//! `TEST_DATABASE_URL` is set (each case in a fresh schema, dropped afterwards).

mod helpers;

mod accounts;
mod artifacts;
mod bus;
mod cancel;
mod claims;
mod connect;
mod events;
mod leases;
mod listing;
mod migrations;
mod queue;
mod quotas;
mod registration;
mod retries;
mod webhooks;

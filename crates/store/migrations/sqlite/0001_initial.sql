-- Ids are 16-byte UUID blobs, timestamps RFC 3339 text in UTC (as sqlx encodes them, which
-- sorts in time order), booleans 0/1, limits and audit details JSON text.

create table users (
    id blob primary key not null,
    username text not null unique,
    email text,
    password_hash text,
    role text not null,
    disabled boolean not null default false,
    oidc_issuer text,
    oidc_subject text,
    token_version integer not null default 0,
    created_at text not null,
    unique (oidc_issuer, oidc_subject)
);

create table api_keys (
    id blob primary key not null,
    user_id blob not null references users (id) on delete cascade,
    name text not null,
    prefix text not null unique,
    hash text not null,
    created_at text not null,
    expires_at text,
    revoked_at text,
    last_used_at text
);
create index api_keys_by_user on api_keys (user_id, created_at);

create table revoked_tokens (
    jti text primary key not null,
    expires_at text not null
);

create table audit_log (
    id integer primary key autoincrement,
    at text not null,
    actor blob,
    action text not null,
    target text,
    ip text,
    detail text not null
);

create table jobs (
    id blob primary key not null,
    user_id blob not null,
    status text not null,
    code text not null,
    stdin text not null,
    limits text not null,
    interactive boolean not null default false,
    exit_code integer,
    signal integer,
    message text,
    stdout text not null default '',
    stderr text not null default '',
    stdout_truncated boolean not null default false,
    stderr_truncated boolean not null default false,
    wall_time_ms integer,
    cpu_time_ms integer,
    peak_memory_kib integer,
    attempts integer not null default 0,
    created_at text not null,
    started_at text,
    finished_at text,
    lease_owner text,
    lease_expires_at text,
    cancel_requested boolean not null default false
);
create index jobs_queued on jobs (created_at, id) where status = 'queued';
create index jobs_by_status_user on jobs (status, user_id);
create index jobs_by_user on jobs (user_id, created_at, id);
create index jobs_by_created on jobs (created_at, id);
create index jobs_finished_by_user on jobs (user_id, finished_at);
create index jobs_leases on jobs (lease_expires_at) where status = 'running';

create table job_events (
    job_id blob not null,
    seq integer not null,
    body text not null,
    primary key (job_id, seq)
) without rowid;

create table users (
    id uuid primary key,
    username text not null unique,
    email text,
    password_hash text,
    role text not null,
    disabled boolean not null default false,
    oidc_issuer text,
    oidc_subject text,
    token_version bigint not null default 0,
    created_at timestamptz not null,
    unique (oidc_issuer, oidc_subject)
);

create table api_keys (
    id uuid primary key,
    user_id uuid not null references users (id) on delete cascade,
    name text not null,
    prefix text not null unique,
    hash text not null,
    created_at timestamptz not null,
    expires_at timestamptz,
    revoked_at timestamptz,
    last_used_at timestamptz
);
create index api_keys_by_user on api_keys (user_id, created_at);

create table revoked_tokens (
    jti text primary key,
    expires_at timestamptz not null
);

create table audit_log (
    id bigserial primary key,
    at timestamptz not null,
    actor uuid,
    action text not null,
    target text,
    ip text,
    detail text not null
);

create table jobs (
    id uuid primary key,
    user_id uuid not null,
    status text not null,
    code text not null,
    stdin text not null,
    limits text not null,
    interactive boolean not null default false,
    exit_code bigint,
    signal bigint,
    message text,
    stdout text not null default '',
    stderr text not null default '',
    stdout_truncated boolean not null default false,
    stderr_truncated boolean not null default false,
    wall_time_ms bigint,
    cpu_time_ms bigint,
    peak_memory_kib bigint,
    attempts bigint not null default 0,
    created_at timestamptz not null,
    started_at timestamptz,
    finished_at timestamptz,
    lease_owner text,
    lease_expires_at timestamptz,
    cancel_requested boolean not null default false
);
create index jobs_queued on jobs (created_at, id) where status = 'queued';
create index jobs_by_status_user on jobs (status, user_id);
create index jobs_by_user on jobs (user_id, created_at, id);
create index jobs_by_created on jobs (created_at, id);
create index jobs_finished_by_user on jobs (user_id, finished_at);
create index jobs_leases on jobs (lease_expires_at) where status = 'running';

create table job_events (
    job_id uuid not null,
    seq bigint not null,
    body text not null,
    primary key (job_id, seq)
);

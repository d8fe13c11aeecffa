-- Test cases of an execution (JSON: {"compare", "cases": [{name, stdin, expected_output}]});
-- their results are the job's `result` (JSON list), as a measurement's points are.
alter table jobs add column tests text;

-- Where the result goes when the job ends (JSON: {"url", "format", "judge0_token"?}), and
-- whether its delivery is still to be created. The delivery loop turns finished jobs with
-- `callback_pending` into rows of `webhook_deliveries` and clears the flag in one transaction.
alter table jobs add column callback text;
alter table jobs add column callback_pending boolean not null default false;
create index jobs_callbacks_pending on jobs (finished_at) where callback_pending;

-- One signing secret per user (Standard Webhooks `whsec_…`). Kept as it is: signing needs it.
create table webhook_secrets (
    user_id uuid primary key references users (id) on delete cascade,
    secret text not null,
    created_at timestamptz not null
);

-- Durable deliveries: claimed under a lease like jobs, retried with back-off, at least once,
-- always under the same webhook id (the row's id).
create table webhook_deliveries (
    id uuid primary key,
    job_id uuid not null unique,
    user_id uuid not null,
    url text not null,
    method text not null,
    body text not null,
    state text not null,
    attempts bigint not null default 0,
    next_attempt_at timestamptz not null,
    lease_owner text,
    lease_expires_at timestamptz,
    last_error text,
    last_status bigint,
    created_at timestamptz not null,
    finished_at timestamptz
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where state = 'pending';
create index webhook_deliveries_by_user on webhook_deliveries (user_id, created_at);

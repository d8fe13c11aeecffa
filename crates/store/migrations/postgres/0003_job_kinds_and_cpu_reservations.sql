-- Jobs of two kinds share one queue, its caps, leases and the daily CPU quota: `execution`
-- (a program the user runs) and `measurement` (the analyzer's timing harness around the
-- user's code, for an empirical analysis).
alter table jobs add column kind text not null default 'execution';

-- CPU milliseconds an open (queued or running) job may still use: its time limit times its
-- CPU cores. Counted against the daily quota until the job finishes and its measured CPU
-- time takes its place.
alter table jobs add column cpu_reservation_ms bigint not null default 0;

-- What a job produced besides its output: for a measurement, the points and fit as JSON.
alter table jobs add column result text;

update jobs
set cpu_reservation_ms = ceil(
    (limits::jsonb ->> 'time_limit_ms')::float8 * (limits::jsonb ->> 'cpu_cores')::float8)::bigint
where status in ('queued', 'running');

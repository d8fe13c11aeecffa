-- Files a program handed back (/box/out/, matplotlib figures). The bytes live here so every
-- API node can serve them; they go with their job.
create table artifacts (
    job_id blob not null references jobs (id) on delete cascade,
    name text not null,
    media_type text not null,
    size_bytes integer not null,
    sha256 text not null,
    data blob not null,
    primary key (job_id, name)
);

-- What the execution object lists about them (JSON arrays), written with the artifacts.
alter table jobs add column artifacts text not null default '[]';
alter table jobs add column artifacts_skipped text not null default '[]';

-- Accounts hardening (security review A6, A7, A8, A14).
--
-- Usernames become case-insensitive: `Ada` and `ada` can no longer both exist. Existing
-- accounts that differ only in case keep the oldest one's name; each later one is renamed to its
-- first 25 characters, '-' and the last 6 hex digits of its id (still a valid username, at most
-- 32 characters), so the index below can be built.
update users
set username = left(username, 25) || '-' || right(replace(id::text, '-', ''), 6)
where exists (
    select 1 from users as older
    where lower(older.username) = lower(users.username)
      and (older.created_at < users.created_at
           or (older.created_at = users.created_at and older.id < users.id))
);
create unique index users_username_lower on users (lower(username));

-- Single-use invitation codes for `registration = invite`. Only a SHA-256 of the code is kept.
create table invitations (
    code_hash text primary key,
    created_by uuid references users (id) on delete set null,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at timestamptz,
    used_by uuid references users (id) on delete set null
);

-- Accounts: users, organisations using Haven (tenants), memberships, one-time links, sessions,
-- recovery codes, sign-in throttling, and the append-only, hash-chained audit log.

CREATE TABLE users (
    id             TEXT PRIMARY KEY NOT NULL,
    email          TEXT NOT NULL UNIQUE,
    password_hash  TEXT,
    totp_secret    BLOB,
    totp_last_step INTEGER,
    site_admin     INTEGER NOT NULL DEFAULT 0 CHECK (site_admin IN (0, 1)),
    created_at     TEXT NOT NULL
) STRICT;

CREATE TABLE tenants (
    id                       TEXT PRIMARY KEY NOT NULL,
    name                     TEXT NOT NULL,
    status                   TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    directory_organization_id TEXT REFERENCES organizations (id) ON DELETE SET NULL,
    created_at               TEXT NOT NULL
) STRICT;

CREATE TABLE memberships (
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    role      TEXT NOT NULL,
    PRIMARY KEY (user_id, tenant_id)
) STRICT;

CREATE INDEX memberships_by_tenant ON memberships (tenant_id);

CREATE TABLE one_time_links (
    digest     TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    tenant_id  TEXT REFERENCES tenants (id) ON DELETE CASCADE,
    role       TEXT,
    expires_at TEXT NOT NULL,
    used_at    TEXT
) STRICT;

CREATE TABLE sessions (
    digest             TEXT PRIMARY KEY NOT NULL,
    user_id            TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id          TEXT REFERENCES tenants (id) ON DELETE SET NULL,
    csrf_token         TEXT NOT NULL,
    second_factor_done INTEGER NOT NULL CHECK (second_factor_done IN (0, 1)),
    created_at         TEXT NOT NULL,
    last_seen_at       TEXT NOT NULL,
    authenticated_at   TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE recovery_codes (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    digest  TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (user_id, digest)
) STRICT;

CREATE TABLE sign_in_failures (
    key             TEXT PRIMARY KEY NOT NULL,
    failures        INTEGER NOT NULL,
    last_failure_at TEXT NOT NULL
) STRICT;

-- Append-only: no UPDATE or DELETE statement in Haven touches these two tables except
-- audit_heads, which holds each chain's latest entry so appends serialise per chain.
CREATE TABLE audit_log (
    scope        TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    at_nanos     INTEGER NOT NULL,
    actor        TEXT,
    action       TEXT NOT NULL,
    subject_kind TEXT,
    subject_id   TEXT,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    PRIMARY KEY (scope, seq)
) STRICT;

CREATE TABLE audit_heads (
    scope TEXT PRIMARY KEY NOT NULL,
    seq   INTEGER NOT NULL,
    hash  TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Accounts: users, organisations using Haven (tenants), memberships, one-time links, sessions,
-- recovery codes, sign-in throttling, and the append-only, hash-chained audit log.

CREATE TABLE users (
    id             UUID PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    password_hash  TEXT,
    totp_secret    BYTEA,
    totp_last_step BIGINT,
    site_admin     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE tenants (
    id                        UUID PRIMARY KEY,
    name                      TEXT NOT NULL,
    status                    TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    directory_organization_id UUID REFERENCES organizations (id) ON DELETE SET NULL,
    created_at                TIMESTAMPTZ NOT NULL
);

CREATE TABLE memberships (
    user_id   UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    role      TEXT NOT NULL,
    PRIMARY KEY (user_id, tenant_id)
);

CREATE INDEX memberships_by_tenant ON memberships (tenant_id);

CREATE TABLE one_time_links (
    digest     TEXT PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    tenant_id  UUID REFERENCES tenants (id) ON DELETE CASCADE,
    role       TEXT,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);

CREATE TABLE sessions (
    digest             TEXT PRIMARY KEY,
    user_id            UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id          UUID REFERENCES tenants (id) ON DELETE SET NULL,
    csrf_token         TEXT NOT NULL,
    second_factor_done BOOLEAN NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    last_seen_at       TIMESTAMPTZ NOT NULL,
    authenticated_at   TIMESTAMPTZ NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE recovery_codes (
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    digest  TEXT NOT NULL,
    used_at TIMESTAMPTZ,
    PRIMARY KEY (user_id, digest)
);

CREATE TABLE sign_in_failures (
    key             TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL,
    last_failure_at TIMESTAMPTZ NOT NULL
);

-- Append-only: no UPDATE or DELETE statement in Haven touches audit_log; audit_heads holds each
-- chain's latest entry, locked by each append so appends serialise per chain.
CREATE TABLE audit_log (
    scope        TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    at_nanos     BIGINT NOT NULL,
    actor        TEXT,
    action       TEXT NOT NULL,
    subject_kind TEXT,
    subject_id   TEXT,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    PRIMARY KEY (scope, seq)
);

CREATE TABLE audit_heads (
    scope TEXT PRIMARY KEY,
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

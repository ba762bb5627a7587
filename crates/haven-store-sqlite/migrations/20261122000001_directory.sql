-- The public directory: organisations, services, listing reports, and instance settings.
-- Ids are UUIDs stored as text; times are RFC 3339 text in UTC.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE organizations (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    scope       TEXT NOT NULL CHECK (scope IN ('local', 'regional', 'national')),
    town        TEXT,
    website     TEXT
) STRICT;

CREATE INDEX organizations_by_name ON organizations (name, id);

CREATE TABLE services (
    id              TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL,
    status          TEXT NOT NULL
) STRICT;

CREATE INDEX services_by_organization ON services (organization_id, name, id);

CREATE TABLE listing_reports (
    id          TEXT PRIMARY KEY NOT NULL,
    service_id  TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    details     TEXT,
    received_at TEXT NOT NULL
) STRICT;

CREATE INDEX listing_reports_by_time ON listing_reports (received_at, id);
CREATE INDEX listing_reports_by_service ON listing_reports (service_id);

-- The public directory: organisations, services, listing reports, and instance settings.
-- Ids are UUIDs; times are timestamps with time zone.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE organizations (
    id          UUID PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    scope       TEXT NOT NULL CHECK (scope IN ('local', 'regional', 'national')),
    town        TEXT,
    website     TEXT
);

CREATE INDEX organizations_by_name ON organizations (name, id);

CREATE TABLE services (
    id              UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL,
    status          TEXT NOT NULL
);

CREATE INDEX services_by_organization ON services (organization_id, name, id);

CREATE TABLE listing_reports (
    id          UUID PRIMARY KEY,
    service_id  UUID NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    details     TEXT,
    received_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX listing_reports_by_time ON listing_reports (received_at, id);
CREATE INDEX listing_reports_by_service ON listing_reports (service_id);

-- Mentoring: programmes, their mentors and mentees (one table, `side` tells them apart), matches
-- with their status history, locked and forbidden pairs, and DBS reminders already sent.
-- Profiles and settings are the matching engine's JSON. Safeguarding is metadata only (level,
-- dates, Update Service); nothing about the content of a disclosure is ever stored.
CREATE TABLE mentoring_programmes (
    id         TEXT PRIMARY KEY NOT NULL,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    settings   TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX mentoring_programmes_by_tenant ON mentoring_programmes (tenant_id);

CREATE TABLE mentoring_participants (
    id           TEXT PRIMARY KEY NOT NULL,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    programme_id TEXT NOT NULL REFERENCES mentoring_programmes (id) ON DELETE CASCADE,
    side         TEXT NOT NULL CHECK (side IN ('mentor', 'mentee')),
    name         TEXT NOT NULL,
    email        TEXT,
    user_id      TEXT REFERENCES users (id) ON DELETE SET NULL,
    profile      TEXT NOT NULL
) STRICT;

CREATE INDEX mentoring_participants_by_programme ON mentoring_participants (programme_id, side);
CREATE INDEX mentoring_participants_by_user ON mentoring_participants (user_id);

CREATE TABLE mentoring_matches (
    id              TEXT PRIMARY KEY NOT NULL,
    tenant_id       TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    programme_id    TEXT NOT NULL REFERENCES mentoring_programmes (id) ON DELETE CASCADE,
    mentor_id       TEXT NOT NULL REFERENCES mentoring_participants (id) ON DELETE CASCADE,
    mentee_id       TEXT NOT NULL REFERENCES mentoring_participants (id) ON DELETE CASCADE,
    status          TEXT NOT NULL
        CHECK (status IN ('proposed', 'agreed', 'introduced', 'active', 'ended')),
    score           INTEGER NOT NULL,
    criteria        TEXT NOT NULL,
    outcome         TEXT,
    mentor_feedback TEXT,
    mentee_feedback TEXT
) STRICT;

CREATE INDEX mentoring_matches_by_programme ON mentoring_matches (programme_id);
CREATE INDEX mentoring_matches_by_mentor ON mentoring_matches (mentor_id);
-- A mentee has at most one open match: ended ones are history.
CREATE UNIQUE INDEX mentoring_matches_one_open_per_mentee
    ON mentoring_matches (mentee_id) WHERE status <> 'ended';

CREATE TABLE mentoring_match_events (
    match_id TEXT NOT NULL REFERENCES mentoring_matches (id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    status   TEXT NOT NULL,
    at       TEXT NOT NULL,
    actor_id TEXT,
    PRIMARY KEY (match_id, seq)
) STRICT;

CREATE TABLE mentoring_constraints (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    programme_id TEXT NOT NULL REFERENCES mentoring_programmes (id) ON DELETE CASCADE,
    mentor_id    TEXT NOT NULL REFERENCES mentoring_participants (id) ON DELETE CASCADE,
    mentee_id    TEXT NOT NULL REFERENCES mentoring_participants (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('lock', 'forbid')),
    PRIMARY KEY (programme_id, mentor_id, mentee_id)
) STRICT;

-- One row per reminder sent: a check (identified by its last valid day) and a threshold.
CREATE TABLE mentoring_dbs_reminders (
    tenant_id      TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    mentor_id      TEXT NOT NULL REFERENCES mentoring_participants (id) ON DELETE CASCADE,
    threshold_days INTEGER NOT NULL,
    last_day       TEXT NOT NULL,
    sent_at        TEXT NOT NULL,
    PRIMARY KEY (mentor_id, threshold_days, last_day)
) STRICT;

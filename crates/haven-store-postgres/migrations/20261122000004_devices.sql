-- Browsers each person has signed in from: digests of the random `haven_device` cookie only.

CREATE TABLE known_devices (
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    digest        TEXT NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, digest)
);

-- A mentor or mentee who withdraws from a programme keeps their history (ended matches and
-- their outcomes) but is left out of later runs: the time they withdrew, NULL while taking part.
ALTER TABLE mentoring_participants ADD COLUMN withdrawn_at TEXT;

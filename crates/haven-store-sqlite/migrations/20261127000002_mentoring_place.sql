-- The place name a coordinator gave for a mentor's or mentee's meeting point ("Leeds", "LS6"),
-- kept beside the point in the profile so forms, lists and explanations can show it again.
-- NULL when they meet only remotely, and for points stored before this migration.
ALTER TABLE mentoring_participants ADD COLUMN place TEXT;

-- The PostgreSQL twin of the SQLite migration of the same number.
-- What a programme's last matching run saw (its time, and how many mentors and mentees the
-- programme had, withdrawn ones included), and when its settings last changed: the programme
-- page explains unmatched mentees as things are now, and says what changed since the run.
ALTER TABLE mentoring_programmes ADD COLUMN settings_changed_at TIMESTAMPTZ;
ALTER TABLE mentoring_programmes ADD COLUMN last_run_at TIMESTAMPTZ;
ALTER TABLE mentoring_programmes ADD COLUMN last_run_mentors BIGINT;
ALTER TABLE mentoring_programmes ADD COLUMN last_run_mentees BIGINT;

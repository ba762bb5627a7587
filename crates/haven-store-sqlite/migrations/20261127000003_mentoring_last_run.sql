-- What a programme's last matching run saw (its time, and how many mentors and mentees the
-- programme had, withdrawn ones included), and when its settings last changed: the programme
-- page explains unmatched mentees as things are now, and says what changed since the run.
ALTER TABLE mentoring_programmes ADD COLUMN settings_changed_at TEXT;
ALTER TABLE mentoring_programmes ADD COLUMN last_run_at TEXT;
ALTER TABLE mentoring_programmes ADD COLUMN last_run_mentors INTEGER;
ALTER TABLE mentoring_programmes ADD COLUMN last_run_mentees INTEGER;

-- The moderation queue: a report stays open until a site admin marks it dealt with.
ALTER TABLE listing_reports ADD COLUMN resolved_at TEXT;

-- The language a person reads Haven in (a BCP 47 tag such as "en" or "ar"): e-mails to them
-- are written in it. Empty until they set up their account or choose one.
ALTER TABLE users ADD COLUMN language TEXT;

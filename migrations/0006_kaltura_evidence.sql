-- Issue 16: what zk itself knows about a file's Kaltura content, so verification holds on partners
-- whose conversion profile drops (or never readies) the source flavor, and the counters that bound
-- conversion retries and administratively blocked partners. `files.state` is free text, so the new
-- NEEDS_REVIEW state needs no schema change.
ALTER TABLE files ADD COLUMN content_submitted_at INTEGER;   -- ms epoch: addContent answered (upload token or URL)
ALTER TABLE files ADD COLUMN verified_by TEXT;               -- evidence used at HANDLED: source-size | upload-token | duration
ALTER TABLE files ADD COLUMN conversion_failures INTEGER NOT NULL DEFAULT 0; -- ERROR_CONVERTING seen for this file
ALTER TABLE files ADD COLUMN blocked_streak INTEGER NOT NULL DEFAULT 0;      -- consecutive ACTION_BLOCKED answers

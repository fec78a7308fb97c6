-- zk initial schema. SQLite is the source of truth: every Zoom recording file is one
-- row in `files` (a drop-folder row) keyed by (account, meeting uuid, zoom file id),
-- and every state change is appended to `events` with its reason.

CREATE TABLE accounts (
  name             TEXT PRIMARY KEY,            -- the config's account name
  zoom_account_id  TEXT NOT NULL,
  description      TEXT NOT NULL DEFAULT '',
  enabled          INTEGER NOT NULL DEFAULT 1,
  last_poll_ok_at  INTEGER,                     -- ms epoch of the last fully successful poll
  last_error       TEXT,
  last_error_at    INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);

-- Durable poll cursor: every UTC day up to and including scanned_through was listed completely.
CREATE TABLE poll_cursors (
  account          TEXT PRIMARY KEY REFERENCES accounts(name),
  scanned_through  TEXT NOT NULL,               -- 'YYYY-MM-DD' (UTC)
  updated_at       INTEGER NOT NULL
);

-- One row per recording segment: a Zoom meeting instance (uuid) and one recording_start.
CREATE TABLE recordings (
  id               INTEGER PRIMARY KEY,
  account          TEXT NOT NULL REFERENCES accounts(name),
  meeting_uuid     TEXT NOT NULL,
  meeting_id       INTEGER NOT NULL,
  recording_start  TEXT NOT NULL,
  recording_end    TEXT,
  topic            TEXT NOT NULL,
  host_id          TEXT,
  host_email       TEXT,
  meeting_type     INTEGER NOT NULL,
  start_time       TEXT NOT NULL,
  duration_min     INTEGER,
  parent_entry_id  TEXT,                        -- Kaltura entry of the segment's parent file
  policy_json      TEXT,                        -- resolved owner, entitlements, categories
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  UNIQUE (account, meeting_uuid, recording_start)
);

CREATE TABLE files (
  id               INTEGER PRIMARY KEY,
  account          TEXT NOT NULL REFERENCES accounts(name),
  meeting_uuid     TEXT NOT NULL,
  zoom_file_id     TEXT NOT NULL,
  recording_id     INTEGER NOT NULL REFERENCES recordings(id),
  file_type        TEXT NOT NULL,               -- MP4, M4A, TRANSCRIPT, CC, CHAT, TIMELINE, ...
  file_extension   TEXT NOT NULL DEFAULT '',
  recording_type   TEXT NOT NULL DEFAULT '',
  zoom_status      TEXT NOT NULL DEFAULT '',    -- completed | processing
  file_size        INTEGER NOT NULL DEFAULT 0,  -- bytes, as Zoom reports it
  download_url     TEXT,
  role             TEXT,                        -- parent | child | caption | attachment | covered | none
  state            TEXT NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER,                     -- ms epoch; NULL = not waiting
  last_error       TEXT,
  last_error_code  TEXT,
  reference_id     TEXT,
  kaltura_entry_id TEXT,
  kaltura_asset_id TEXT,
  upload_token_id  TEXT,
  uploaded_bytes   INTEGER NOT NULL DEFAULT 0,
  ingested_size    INTEGER,                     -- bytes Kaltura verifiably holds
  lease_owner      TEXT,                        -- which process is working on it (daemon or import)
  lease_until      INTEGER,
  detected_at      INTEGER NOT NULL,
  handled_at       INTEGER,                     -- verified READY with matching size
  purge_after      INTEGER,                     -- earliest ms epoch for the Zoom delete
  purged_at        INTEGER,
  updated_at       INTEGER NOT NULL,
  UNIQUE (account, meeting_uuid, zoom_file_id)
);
CREATE INDEX files_state_due ON files (state, next_attempt_at);
CREATE INDEX files_recording ON files (recording_id);
CREATE INDEX files_account_state ON files (account, state);

-- Append-only history of every state transition.
CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  file_id     INTEGER REFERENCES files(id),
  account     TEXT,
  at          INTEGER NOT NULL,
  from_state  TEXT,
  to_state    TEXT NOT NULL,
  reason      TEXT NOT NULL,
  actor       TEXT NOT NULL DEFAULT 'daemon'    -- daemon | import | backfill | cli
);
CREATE INDEX events_file ON events (file_id, id);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- Named leases coordinate processes through SQLite: the daemon's single-instance lock,
-- and scans (poll, backfill, import) that must not overlap each other.
CREATE TABLE leases (
  name        TEXT PRIMARY KEY,
  owner       TEXT NOT NULL,
  acquired_at INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);

-- Legacy import progress: one row per (account, Zoom-sized window), so a re-run resumes.
CREATE TABLE import_windows (
  account      TEXT NOT NULL REFERENCES accounts(name),
  window_from  TEXT NOT NULL,                   -- 'YYYY-MM-DD'
  window_to    TEXT NOT NULL,
  state        TEXT NOT NULL,                   -- pending | done
  meetings     INTEGER NOT NULL DEFAULT 0,
  files        INTEGER NOT NULL DEFAULT 0,
  completed_at INTEGER,
  PRIMARY KEY (account, window_from, window_to)
);

-- Adoption of what Kaltura's own Zoom integration already ingested (README "Switching from
-- Kaltura's Zoom integration"). One decision per segment, one outcome per file; both are
-- written in the same transaction as the state change they justify.

CREATE TABLE segment_adoptions (
  recording_id     INTEGER PRIMARY KEY REFERENCES recordings(id),
  decision         TEXT NOT NULL,               -- adopt | none | conflict
  parent_entry_id  TEXT,                        -- the integration's parent entry (decision adopt)
  reason           TEXT NOT NULL,
  checked_at       INTEGER NOT NULL
);

CREATE TABLE file_adoptions (
  file_id          INTEGER PRIMARY KEY REFERENCES files(id),
  account          TEXT NOT NULL,
  outcome          TEXT NOT NULL,               -- adopted | conflict | absent
  kaltura_entry_id TEXT,
  kaltura_asset_id TEXT,
  detail           TEXT NOT NULL,               -- the evidence (adopted) or why not
  at               INTEGER NOT NULL
);
CREATE INDEX file_adoptions_account ON file_adoptions (account, outcome);

-- Why an account is not working, as the daemon decided it, for `zk status`, /readyz and restarts.
-- halted_*: a fatal error (rejected credentials, a missing mandatory scope, an invalid Kaltura
-- session) stopped the account; the daemon re-tries it every global.haltRetryInterval.
-- paused_*: Zoom's daily API limit is spent; polls and purges wait until paused_until.
CREATE TABLE account_state (
  account        TEXT PRIMARY KEY,   -- the config's account name
  halted_at      INTEGER,            -- ms epoch of the first halt of this episode
  halted_code    TEXT,               -- e.g. 'ZOOM_AUTH', 'ZOOM_4711', 'INVALID_KS'
  halted_source  TEXT,               -- 'zoom' or 'kaltura'
  halted_reason  TEXT,
  halted_fix     TEXT,               -- what a human should do
  next_probe_at  INTEGER,            -- when the daemon next tries the account again
  paused_until   INTEGER,            -- ms epoch; no poll or purge before it
  paused_reason  TEXT,
  updated_at     INTEGER NOT NULL
);

-- Optional features an account cannot use (a scope for dashboard metrics, the participant report,
-- panelists is not granted): only that feature is skipped; cleared when the feature works again.
CREATE TABLE account_degraded_features (
  account     TEXT NOT NULL,
  feature     TEXT NOT NULL,         -- 'coHosts', 'participants', 'panelists'
  code        TEXT,
  reason      TEXT NOT NULL,
  since       INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (account, feature)
);

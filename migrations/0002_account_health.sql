-- Per-account Zoom health as the daemon last saw it, for `zk status`: the last access-token
-- request (ok or failed, with why) and the last rate-limit reading (remaining budget, waits).
-- Written by the daemon's Zoom adapters; a row appears after the account's first Zoom call.
CREATE TABLE account_health (
  account              TEXT PRIMARY KEY,          -- the config's account name
  token_ok_at          INTEGER,                   -- ms epoch of the last successful token request
  token_failed_at      INTEGER,                   -- ms epoch of the last failed token request
  token_error          TEXT,                      -- e.g. 'HTTP 401 (code 124)'
  rate_remaining       INTEGER,                   -- X-RateLimit-Remaining of the last API answer
  rate_limit           INTEGER,                   -- X-RateLimit-Limit of that answer
  rate_category        TEXT,                      -- X-RateLimit-Category (Light | Medium | Heavy)
  rate_seen_at         INTEGER,
  rate_wait_ms         INTEGER,                   -- the last wait imposed by a rate limit
  rate_wait_at         INTEGER,
  rate_waits           INTEGER NOT NULL DEFAULT 0, -- waits since the row was created
  updated_at           INTEGER NOT NULL
);

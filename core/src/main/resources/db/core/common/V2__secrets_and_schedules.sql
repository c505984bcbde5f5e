-- Named secrets of core, sealed by the token vault ("tv1:<key id>:<nonce+ciphertext>").
CREATE TABLE core_secret (
  name        VARCHAR(100) NOT NULL PRIMARY KEY,
  sealed      TEXT         NOT NULL,
  updated_at  BIGINT       NOT NULL
);

-- Recurring sweeps: the next due time of each, advanced with compare-and-set so that only
-- one instance enqueues each run.
CREATE TABLE core_recurring (
  name         VARCHAR(100) NOT NULL PRIMARY KEY,
  interval_ms  BIGINT       NOT NULL,
  next_run_at  BIGINT       NOT NULL
);

-- Durable jobs: see docs/ARCHITECTURE.md, "Durable jobs". Times are epoch milliseconds (UTC).
CREATE TABLE core_job (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  kind          VARCHAR(100) NOT NULL,
  payload       TEXT         NOT NULL,
  ordering_key  VARCHAR(255),
  unique_key    VARCHAR(255),
  status        VARCHAR(16)  NOT NULL,
  attempts      INT          NOT NULL DEFAULT 0,
  max_attempts  INT          NOT NULL,
  run_at        BIGINT       NOT NULL,
  lease_until   BIGINT,
  leased_by     VARCHAR(100),
  last_error    TEXT,
  created_at    BIGINT       NOT NULL,
  updated_at    BIGINT       NOT NULL,
  finished_at   BIGINT,
  CONSTRAINT core_job_status_check CHECK (status IN ('queued', 'running', 'done', 'dead')),
  CONSTRAINT core_job_unique_key UNIQUE (unique_key)
);
CREATE INDEX core_job_ready ON core_job (status, run_at);
CREATE INDEX core_job_order ON core_job (ordering_key, status, id);
CREATE INDEX core_job_finished ON core_job (finished_at);

-- Wrong invite codes entered on the Home tab, per workspace: counted in the database so that
-- every instance enforces the same limit (SyncBot counted them in process memory).
CREATE TABLE sync_join_attempt (
  workspace_id  VARCHAR(64)  NOT NULL,
  attempted_at  BIGINT       NOT NULL
);
CREATE INDEX sync_join_attempt_recent ON sync_join_attempt (workspace_id, attempted_at);

-- The message path's own state (issue 4, items 3 and 5).

-- One delivery: one operation (create, edit, delete, reaction, files) of one logical post towards
-- one target channel. Its id is derived from what caused it, so a repeated fan-out finds the same
-- row. A job attempt after the first may have posted unless "attempt" records that every earlier
-- attempt stopped before Slack; "posting" marks a copy posted by another delivery's job (a
-- catch-up). In both cases the outcome is looked for (echo, then history) before posting again.
CREATE TABLE sync_delivery (
  id                   VARCHAR(32)   NOT NULL PRIMARY KEY,
  event_id             VARCHAR(64)   NOT NULL,
  op                   VARCHAR(16)   NOT NULL,
  post_id              VARCHAR(32)   NOT NULL,
  source_workspace_id  VARCHAR(64)   NOT NULL,
  source_channel_id    VARCHAR(32)   NOT NULL,
  source_ts            VARCHAR(20)   NOT NULL,
  target_workspace_id  VARCHAR(64)   NOT NULL,
  target_channel_id    VARCHAR(32)   NOT NULL,
  detail               VARCHAR(200),
  status               VARCHAR(16)   NOT NULL,
  attempt              INT           NOT NULL DEFAULT 0,
  posting_since        BIGINT,
  target_ts            VARCHAR(20),
  file_ids             VARCHAR(2000),
  error                VARCHAR(1000),
  received_at          BIGINT        NOT NULL,
  created_at           BIGINT        NOT NULL,
  done_at              BIGINT,
  CONSTRAINT sync_delivery_op CHECK (op IN ('create', 'edit', 'delete', 'react', 'files')),
  CONSTRAINT sync_delivery_status CHECK (status IN ('queued', 'posting', 'done', 'skipped', 'failed'))
);
CREATE INDEX sync_delivery_post ON sync_delivery (post_id, target_workspace_id, target_channel_id, op);
CREATE INDEX sync_delivery_pending ON sync_delivery (target_workspace_id, target_channel_id, status, source_ts);

-- Who reacted with what on which copy of a post: the bot mirrors the union onto every copy and
-- removes an emoji when its last reactor does.
CREATE TABLE sync_reaction (
  post_id       VARCHAR(32)   NOT NULL,
  workspace_id  VARCHAR(64)   NOT NULL,
  channel_id    VARCHAR(32)   NOT NULL,
  user_id       VARCHAR(32)   NOT NULL,
  name          VARCHAR(100)  NOT NULL,
  created_at    BIGINT        NOT NULL,
  CONSTRAINT sync_reaction_pk PRIMARY KEY (post_id, workspace_id, channel_id, user_id, name)
);

-- The Sync app's data model (issue 4, item 1). Ids are application-generated strings, so one
-- script serves SQLite, PostgreSQL and MySQL. Times are epoch milliseconds (UTC).

-- A workspace that installed the Sync app (its installation is core_slack_installation,
-- app 'sync', install_key). Soft-deleted on uninstall; restored on reinstall.
CREATE TABLE sync_workspace (
  id             VARCHAR(64)  NOT NULL PRIMARY KEY,
  install_key    VARCHAR(64)  NOT NULL,
  team_id        VARCHAR(32),
  enterprise_id  VARCHAR(32),
  name           VARCHAR(200) NOT NULL,
  domain         VARCHAR(200),
  created_at     BIGINT       NOT NULL,
  updated_at     BIGINT       NOT NULL,
  deleted_at     BIGINT,
  CONSTRAINT sync_workspace_install UNIQUE (install_key)
);

-- Workspaces that sync with each other; joined with an invite code.
CREATE TABLE sync_group (
  id                       VARCHAR(32)  NOT NULL PRIMARY KEY,
  name                     VARCHAR(100) NOT NULL,
  invite_code              VARCHAR(20)  NOT NULL,
  status                   VARCHAR(16)  NOT NULL,
  created_by_workspace_id  VARCHAR(64)  NOT NULL,
  created_at               BIGINT       NOT NULL,
  CONSTRAINT sync_group_invite_code UNIQUE (invite_code),
  CONSTRAINT sync_group_status CHECK (status IN ('active', 'inactive')),
  CONSTRAINT sync_group_created_by_workspace_id_fk FOREIGN KEY (created_by_workspace_id) REFERENCES sync_workspace (id)
);

-- A member of a group: a local workspace, or (later) a workspace of a federated peer.
CREATE TABLE sync_group_member (
  id                 VARCHAR(32)  NOT NULL PRIMARY KEY,
  group_id           VARCHAR(32)  NOT NULL,
  workspace_id       VARCHAR(64),
  federated_peer_id  VARCHAR(64),
  status             VARCHAR(16)  NOT NULL,
  role               VARCHAR(16)  NOT NULL,
  invited_by_user_id VARCHAR(32),
  joined_at          BIGINT,
  deleted_at         BIGINT,
  CONSTRAINT sync_group_member_one_kind CHECK ((workspace_id IS NULL) <> (federated_peer_id IS NULL)),
  CONSTRAINT sync_group_member_status CHECK (status IN ('active', 'pending', 'inactive')),
  CONSTRAINT sync_group_member_role CHECK (role IN ('creator', 'member')),
  CONSTRAINT sync_group_member_once UNIQUE (group_id, workspace_id),
  CONSTRAINT sync_group_member_peer_once UNIQUE (group_id, federated_peer_id),
  CONSTRAINT sync_group_member_group_id_fk FOREIGN KEY (group_id) REFERENCES sync_group (id),
  CONSTRAINT sync_group_member_workspace_id_fk FOREIGN KEY (workspace_id) REFERENCES sync_workspace (id)
);
CREATE INDEX sync_group_member_workspace ON sync_group_member (workspace_id);

-- A sync: published by one workspace to its whole group, or directly to one target workspace.
CREATE TABLE sync_sync (
  id                      VARCHAR(32)  NOT NULL PRIMARY KEY,
  title                   VARCHAR(100) NOT NULL,
  group_id                VARCHAR(32),
  mode                    VARCHAR(16)  NOT NULL,
  publisher_workspace_id  VARCHAR(64)  NOT NULL,
  target_workspace_id     VARCHAR(64),
  reaction_notices        INT          NOT NULL DEFAULT 0,
  created_at              BIGINT       NOT NULL,
  deleted_at              BIGINT,
  CONSTRAINT sync_sync_mode CHECK (mode IN ('group', 'direct')),
  CONSTRAINT sync_sync_direct_target CHECK ((mode = 'direct') = (target_workspace_id IS NOT NULL)),
  CONSTRAINT sync_sync_group_id_fk FOREIGN KEY (group_id) REFERENCES sync_group (id),
  CONSTRAINT sync_sync_publisher_workspace_id_fk FOREIGN KEY (publisher_workspace_id) REFERENCES sync_workspace (id),
  CONSTRAINT sync_sync_target_workspace_id_fk FOREIGN KEY (target_workspace_id) REFERENCES sync_workspace (id)
);
CREATE INDEX sync_sync_group ON sync_sync (group_id);

-- A channel taking part in a sync. "A channel is in at most one sync": live_channel_id holds the
-- channel id while the link is live and NULL once removed, so the unique constraint ignores
-- removed links (NULLs never conflict) on every database, without partial indexes.
CREATE TABLE sync_channel (
  id               VARCHAR(32)  NOT NULL PRIMARY KEY,
  sync_id          VARCHAR(32)  NOT NULL,
  workspace_id     VARCHAR(64)  NOT NULL,
  channel_id       VARCHAR(32)  NOT NULL,
  live_channel_id  VARCHAR(32),
  status           VARCHAR(16)  NOT NULL,
  paused_reason    VARCHAR(200),
  created_at       BIGINT       NOT NULL,
  deleted_at       BIGINT,
  CONSTRAINT sync_channel_status CHECK (status IN ('active', 'paused')),
  -- "IS NOT NULL" spelled out: a CHECK whose expression is NULL passes
  CONSTRAINT sync_channel_live CHECK ((deleted_at IS NULL AND live_channel_id IS NOT NULL AND live_channel_id = channel_id)
                                      OR (deleted_at IS NOT NULL AND live_channel_id IS NULL)),
  CONSTRAINT sync_channel_one_sync UNIQUE (workspace_id, live_channel_id),
  CONSTRAINT sync_channel_sync_id_fk FOREIGN KEY (sync_id) REFERENCES sync_sync (id),
  CONSTRAINT sync_channel_workspace_id_fk FOREIGN KEY (workspace_id) REFERENCES sync_workspace (id)
);
CREATE INDEX sync_channel_sync ON sync_channel (sync_id, status);

-- The post map: every copy of one logical post (the source included), by workspace, channel and ts.
CREATE TABLE sync_post (
  post_id       VARCHAR(32)  NOT NULL,
  workspace_id  VARCHAR(64)  NOT NULL,
  channel_id    VARCHAR(32)  NOT NULL,
  ts            VARCHAR(20)  NOT NULL,
  kind          VARCHAR(16)  NOT NULL,
  thread_ts     VARCHAR(20),
  created_at    BIGINT       NOT NULL,
  CONSTRAINT sync_post_kind CHECK (kind IN ('message', 'file_reply', 'reaction_notice')),
  CONSTRAINT sync_post_copy PRIMARY KEY (workspace_id, channel_id, ts)
);
CREATE INDEX sync_post_logical ON sync_post (post_id, workspace_id, channel_id);

-- Each workspace's people, crawled with users.list and kept fresh by team_join / user_profile_changed.
CREATE TABLE sync_user (
  workspace_id     VARCHAR(64)  NOT NULL,
  user_id          VARCHAR(32)  NOT NULL,
  email            VARCHAR(320),
  real_name        VARCHAR(200),
  display_name     VARCHAR(200),
  normalized_name  VARCHAR(200),
  avatar_url       VARCHAR(500),
  is_bot           INT          NOT NULL DEFAULT 0,
  updated_at       BIGINT       NOT NULL,
  deleted_at       BIGINT,
  CONSTRAINT sync_user_pk PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX sync_user_email ON sync_user (workspace_id, email);
CREATE INDEX sync_user_name ON sync_user (workspace_id, normalized_name);

-- How a person of one workspace appears in another: one mapping per source user and target workspace.
CREATE TABLE sync_user_mapping (
  source_workspace_id  VARCHAR(64)  NOT NULL,
  source_user_id       VARCHAR(32)  NOT NULL,
  target_workspace_id  VARCHAR(64)  NOT NULL,
  target_user_id       VARCHAR(32),
  method               VARCHAR(16)  NOT NULL,
  source_display_name  VARCHAR(200),
  matched_at           BIGINT       NOT NULL,
  CONSTRAINT sync_user_mapping_method CHECK (method IN ('email', 'name', 'manual', 'none')),
  CONSTRAINT sync_user_mapping_target CHECK ((method = 'none') = (target_user_id IS NULL)),
  CONSTRAINT sync_user_mapping_pk PRIMARY KEY (source_workspace_id, source_user_id, target_workspace_id)
);
CREATE INDEX sync_user_mapping_by_target ON sync_user_mapping (target_workspace_id, method);

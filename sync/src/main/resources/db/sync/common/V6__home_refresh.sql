-- The Home tab's Refresh: when a person last refreshed a page and what it showed then (a hash of
-- its content), kept in the database so that every instance applies the same cooldown.
CREATE TABLE sync_home_refresh (
  workspace_id  VARCHAR(64)  NOT NULL,
  user_id       VARCHAR(32)  NOT NULL,
  page          VARCHAR(16)  NOT NULL,
  content_hash  VARCHAR(64)  NOT NULL,
  refreshed_at  BIGINT       NOT NULL,
  CONSTRAINT sync_home_refresh_pk PRIMARY KEY (workspace_id, user_id, page)
);

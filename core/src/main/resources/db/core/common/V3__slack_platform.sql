-- Slack platform: installations (tokens sealed by the vault), OAuth states, and the event inbox
-- that makes every delivered event_id count once.
CREATE TABLE core_slack_installation (
  app               VARCHAR(32)  NOT NULL,
  install_key       VARCHAR(64)  NOT NULL,  -- "E:<enterprise id>" for org-wide installs, else "T:<team id>"
  enterprise_id     VARCHAR(32),
  team_id           VARCHAR(32),
  team_name         VARCHAR(255),
  app_id            VARCHAR(32),
  bot_id            VARCHAR(32),
  bot_user_id       VARCHAR(32),
  bot_scopes        TEXT,
  bot_token_sealed  TEXT         NOT NULL,
  installer_user_id VARCHAR(32),
  installed_at      BIGINT       NOT NULL,
  updated_at        BIGINT       NOT NULL,
  revoked_at        BIGINT,
  PRIMARY KEY (app, install_key)
);

CREATE TABLE core_slack_oauth_state (
  state       VARCHAR(64)  NOT NULL PRIMARY KEY,
  app         VARCHAR(32)  NOT NULL,
  expires_at  BIGINT       NOT NULL
);

CREATE TABLE core_slack_event (
  app          VARCHAR(32)  NOT NULL,
  event_id     VARCHAR(64)  NOT NULL,
  team_id      VARCHAR(32),
  event_type   VARCHAR(64)  NOT NULL,
  body         TEXT         NOT NULL,
  received_at  BIGINT       NOT NULL,
  retries_seen INT          NOT NULL DEFAULT 0,
  PRIMARY KEY (app, event_id)
);
CREATE INDEX core_slack_event_received ON core_slack_event (received_at);

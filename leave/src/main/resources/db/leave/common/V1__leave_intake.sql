-- The Leave app's intake (issue 6): people, the settings admins change at run time, the
-- requests the bot asks people to confirm, the messages of leave threads it has seen, and one
-- leave record per (person, day). Ids are application-generated strings and times epoch
-- milliseconds (UTC), so one script serves SQLite, PostgreSQL and MySQL; days are ISO
-- 'YYYY-MM-DD' strings, which sort as dates.

-- A person, known by email across workspaces (their Slack users are aliases, below).
CREATE TABLE leave_person (
  id               VARCHAR(32)  NOT NULL PRIMARY KEY,
  name             VARCHAR(200) NOT NULL,
  email            VARCHAR(320),
  time_zone        VARCHAR(64)  NOT NULL,
  harvest_user_id  BIGINT,
  status           VARCHAR(16)  NOT NULL,
  created_at       BIGINT       NOT NULL,
  updated_at       BIGINT       NOT NULL,
  CONSTRAINT leave_person_status CHECK (status IN ('active', 'inactive')),
  -- one person per email: two of their Slack users registering at once cannot make two people
  CONSTRAINT leave_person_email UNIQUE (email)
);

-- A Slack user of a person in one workspace.
CREATE TABLE leave_slack_user (
  workspace_id  VARCHAR(64)  NOT NULL,
  user_id       VARCHAR(32)  NOT NULL,
  person_id     VARCHAR(32)  NOT NULL,
  created_at    BIGINT       NOT NULL,
  PRIMARY KEY (workspace_id, user_id),
  CONSTRAINT leave_slack_user_person_fk FOREIGN KEY (person_id) REFERENCES leave_person (id)
);
CREATE INDEX leave_slack_user_person ON leave_slack_user (person_id);

-- Settings admins change at run time (trigger keywords, leave channels, expiry, ...): a JSON
-- value per name. A name without a row takes its default from the environment.
CREATE TABLE leave_setting (
  name        VARCHAR(64)   NOT NULL PRIMARY KEY,
  value       VARCHAR(4000) NOT NULL,
  updated_at  BIGINT        NOT NULL,
  updated_by  VARCHAR(200)
);

-- What the bot asked a person to confirm (kind 'create' or 'cancel'), or, without dates, its
-- question which dates. One per triggering event (event_id is the dedupe key). thread_ts is the
-- thread's root: the message's own ts for a top-level message.
CREATE TABLE leave_request (
  id            VARCHAR(32)   NOT NULL PRIMARY KEY,
  event_id      VARCHAR(64)   NOT NULL,
  person_id     VARCHAR(32)   NOT NULL,
  workspace_id  VARCHAR(64)   NOT NULL,
  user_id       VARCHAR(32)   NOT NULL,
  channel_id    VARCHAR(32)   NOT NULL,
  message_ts    VARCHAR(32)   NOT NULL,
  thread_ts     VARCHAR(32)   NOT NULL,
  kind          VARCHAR(16)   NOT NULL,
  status        VARCHAR(16)   NOT NULL,
  status_note   VARCHAR(400),
  payload       TEXT          NOT NULL,
  last_day      VARCHAR(10),
  bot_ts        VARCHAR(32),
  expires_at    BIGINT        NOT NULL,
  created_at    BIGINT        NOT NULL,
  updated_at    BIGINT        NOT NULL,
  CONSTRAINT leave_request_event UNIQUE (event_id),
  CONSTRAINT leave_request_kind CHECK (kind IN ('create', 'cancel')),
  CONSTRAINT leave_request_status CHECK (status IN ('pending', 'confirmed', 'processing', 'completed', 'cancelled', 'expired')),
  CONSTRAINT leave_request_person_fk FOREIGN KEY (person_id) REFERENCES leave_person (id)
);
CREATE INDEX leave_request_thread ON leave_request (channel_id, thread_ts, user_id);
CREATE INDEX leave_request_message ON leave_request (channel_id, message_ts);
CREATE INDEX leave_request_due ON leave_request (status, expires_at);

-- Messages of leave threads as the bot saw them, so follow-ups are parsed with their thread
-- without reading Slack's history (limited to one read a minute for most apps since 2025).
CREATE TABLE leave_thread_message (
  channel_id  VARCHAR(32)   NOT NULL,
  ts          VARCHAR(32)   NOT NULL,
  thread_ts   VARCHAR(32)   NOT NULL,
  user_id     VARCHAR(32)   NOT NULL,
  text        VARCHAR(4000) NOT NULL,
  created_at  BIGINT        NOT NULL,
  PRIMARY KEY (channel_id, ts)
);
CREATE INDEX leave_thread_message_thread ON leave_thread_message (channel_id, thread_ts);

-- One day of leave of one person.
CREATE TABLE leave_record (
  id            VARCHAR(32)  NOT NULL PRIMARY KEY,
  person_id     VARCHAR(32)  NOT NULL,
  day           VARCHAR(10)  NOT NULL,
  type          VARCHAR(16)  NOT NULL,
  category      VARCHAR(16)  NOT NULL,
  status        VARCHAR(16)  NOT NULL,
  request_id    VARCHAR(32)  NOT NULL,
  created_at    BIGINT       NOT NULL,
  updated_at    BIGINT       NOT NULL,
  CONSTRAINT leave_record_day UNIQUE (person_id, day),
  CONSTRAINT leave_record_type CHECK (type IN ('full', 'half_am', 'half_pm')),
  CONSTRAINT leave_record_category CHECK (category IN ('vacation', 'sick')),
  CONSTRAINT leave_record_status CHECK (status IN ('confirmed', 'completed', 'failed', 'cancelled')),
  CONSTRAINT leave_record_person_fk FOREIGN KEY (person_id) REFERENCES leave_person (id)
);
CREATE INDEX leave_record_day_status ON leave_record (day, status);

-- The web admin (issue 8): sessions, API tokens, the audit log, and records deleted by an admin.
-- Secrets are never stored: sessions and tokens are kept as SHA-256 hashes of 256-bit random values.

-- A signed-in browser. csrf_token is the synchronizer token every state-changing request of the
-- session must carry. An admin signed in with Google has no leave_admin_user row: admin_email names them.
CREATE TABLE leave_admin_session (
  id_hash        VARCHAR(64)  NOT NULL PRIMARY KEY,
  admin_email    VARCHAR(320) NOT NULL,
  admin_name     VARCHAR(200) NOT NULL,
  method         VARCHAR(16)  NOT NULL,
  csrf_token     VARCHAR(64)  NOT NULL,
  created_at     BIGINT       NOT NULL,
  last_seen_at   BIGINT       NOT NULL,
  expires_at     BIGINT       NOT NULL,
  CONSTRAINT leave_admin_session_method CHECK (method IN ('password', 'google'))
);
CREATE INDEX leave_admin_session_expiry ON leave_admin_session (expires_at);

-- A token for scripts (Authorization: Bearer). prefix is shown in the admin to tell tokens apart.
CREATE TABLE leave_api_token (
  id            VARCHAR(32)  NOT NULL PRIMARY KEY,
  name          VARCHAR(200) NOT NULL,
  prefix        VARCHAR(16)  NOT NULL,
  token_hash    VARCHAR(64)  NOT NULL,
  created_by    VARCHAR(320) NOT NULL,
  created_at    BIGINT       NOT NULL,
  last_used_at  BIGINT,
  revoked_at    BIGINT,
  revoked_by    VARCHAR(320),
  CONSTRAINT leave_api_token_hash UNIQUE (token_hash)
);

-- What admins did: who, what, to what, when.
CREATE TABLE leave_audit (
  id       VARCHAR(32)   NOT NULL PRIMARY KEY,
  at       BIGINT        NOT NULL,
  actor    VARCHAR(320)  NOT NULL,
  action   VARCHAR(64)   NOT NULL,
  target   VARCHAR(200),
  detail   VARCHAR(2000)
);
CREATE INDEX leave_audit_at ON leave_audit (at);

-- A local account created on first run with a one-time password must choose its own at first sign-in.
ALTER TABLE leave_admin_user ADD must_change_password INTEGER NOT NULL DEFAULT 0;

-- An admin deleted the record: its calendar event and Harvest entry are removed by the usual
-- cancellation steps, and the record is hidden from lists (kept so the steps can finish).
ALTER TABLE leave_record ADD deleted_at BIGINT;

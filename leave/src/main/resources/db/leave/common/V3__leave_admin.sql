-- The web admin's local accounts (issue 8): for installations without Google sign-in. Passwords
-- are stored as PBKDF2-HMAC-SHA256 hashes with their salt and work factor ("pbkdf2-sha256$N$salt$hash").
CREATE TABLE leave_admin_user (
  id             VARCHAR(32)  NOT NULL PRIMARY KEY,
  email          VARCHAR(320) NOT NULL,
  name           VARCHAR(200) NOT NULL,
  password_hash  VARCHAR(200) NOT NULL,
  status         VARCHAR(16)  NOT NULL,
  created_at     BIGINT       NOT NULL,
  updated_at     BIGINT       NOT NULL,
  last_login_at  BIGINT,
  CONSTRAINT leave_admin_user_email UNIQUE (email),
  CONSTRAINT leave_admin_user_status CHECK (status IN ('active', 'disabled'))
);

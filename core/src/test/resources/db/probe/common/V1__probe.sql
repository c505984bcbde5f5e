-- A second module's migrations, to prove modules migrate side by side with their own history.
CREATE TABLE probe_effect (
  job_id  BIGINT      NOT NULL PRIMARY KEY,
  worker  VARCHAR(100) NOT NULL
);
CREATE TABLE probe_run (
  job_id  BIGINT       NOT NULL,
  worker  VARCHAR(100) NOT NULL
);

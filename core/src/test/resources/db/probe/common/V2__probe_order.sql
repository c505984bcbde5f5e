CREATE TABLE probe_order (
  seq       INT          NOT NULL,
  job_key   VARCHAR(50)  NOT NULL,
  job_index INT          NOT NULL
);

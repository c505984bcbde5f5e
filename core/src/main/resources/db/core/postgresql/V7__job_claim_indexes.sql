-- The claim reads expired leases, then due queued jobs oldest first, and stops at its limit; the
-- ordering check looks only at unfinished jobs of one key. Partial indexes hold unfinished jobs
-- only, so the done jobs (most of the table until they are purged) cost a claim nothing.
-- They replace the whole-table (status, run_at) and (ordering_key, status, id) indexes.
CREATE INDEX core_job_queued ON core_job (run_at, id) WHERE status = 'queued';
CREATE INDEX core_job_leased ON core_job (lease_until, id) WHERE status = 'running';
CREATE INDEX core_job_lane ON core_job (ordering_key, id) WHERE status IN ('queued', 'running');
CREATE INDEX core_job_dead ON core_job (id) WHERE status = 'dead';
DROP INDEX core_job_ready;
DROP INDEX core_job_order;
-- Every job row is updated two or three times within seconds: vacuum and analyse after 2 % of
-- the table changed (the default 20 % lets dead index entries pile up under load).
ALTER TABLE core_job SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);

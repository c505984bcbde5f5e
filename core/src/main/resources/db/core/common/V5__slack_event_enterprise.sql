-- The workspace an event was delivered for comes from its authorizations (Bolt's context), not
-- the top-level team_id, which in Slack Connect channels can name the other organisation.
ALTER TABLE core_slack_event ADD COLUMN enterprise_id VARCHAR(32);

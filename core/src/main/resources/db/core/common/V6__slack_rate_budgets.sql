-- Slack rate-limit budgets shared by every instance: the next free slot of each (app, workspace,
-- method) or (app, workspace, channel) budget, in epoch milliseconds.
CREATE TABLE core_slack_rate (
  budget     VARCHAR(255) NOT NULL PRIMARY KEY,
  next_free  BIGINT       NOT NULL
);

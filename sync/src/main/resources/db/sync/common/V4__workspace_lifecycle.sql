-- A workspace soft-deleted (uninstalled) longer than the retention period has its data purged
-- once; purged_at records that, so that the sweep does not repeat it.
ALTER TABLE sync_workspace ADD COLUMN purged_at BIGINT;

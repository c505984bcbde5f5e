-- MySQL's TEXT holds 64 KiB; an Events API body with large blocks can be longer.
ALTER TABLE core_slack_event MODIFY body MEDIUMTEXT NOT NULL;

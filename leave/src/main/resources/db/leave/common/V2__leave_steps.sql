-- Recording confirmed leave outside Tandem (issue 7): each record's Harvest step on its own row
-- fields (so a retry redoes only what failed), and the calendar events we own, per person.

-- The Harvest step of one record: status pending | done | failed | skipped (no Harvest user) |
-- removed (the entry was deleted because the day was cancelled).
ALTER TABLE leave_record ADD harvest_status VARCHAR(16);
ALTER TABLE leave_record ADD harvest_entry_id BIGINT;
ALTER TABLE leave_record ADD harvest_error VARCHAR(1000);
ALTER TABLE leave_record ADD harvest_attempts INTEGER NOT NULL DEFAULT 0;
-- bumped whenever the record changes: a job that read an older generation cannot mark the newer one done
ALTER TABLE leave_record ADD harvest_gen INTEGER NOT NULL DEFAULT 0;
-- The calendar step, as the last reconcile of the person's calendar left it: pending | done |
-- failed | deleted_by_hand (the event was deleted in Google Calendar: not re-created).
ALTER TABLE leave_record ADD calendar_status VARCHAR(16);
ALTER TABLE leave_record ADD calendar_event_id VARCHAR(64);
ALTER TABLE leave_record ADD calendar_error VARCHAR(1000);
ALTER TABLE leave_record ADD calendar_attempts INTEGER NOT NULL DEFAULT 0;

-- A calendar event we own. Its id is ours and deterministic (base32hex of the person, first day
-- and type), so inserting it twice answers 409 instead of making a second event, and an id a
-- person deleted by hand stays taken. status: live | deleting (we are deleting it: done again after a
-- crash) | deleted (we deleted it) | gone (deleted by hand).
CREATE TABLE leave_calendar_event (
  id           VARCHAR(64)  NOT NULL PRIMARY KEY,
  person_id    VARCHAR(32)  NOT NULL,
  calendar_id  VARCHAR(300) NOT NULL,
  first_day    VARCHAR(10)  NOT NULL,
  last_day     VARCHAR(10)  NOT NULL,
  type         VARCHAR(16)  NOT NULL,
  status       VARCHAR(16)  NOT NULL,
  -- what the event shows (days, category, records): an event whose content is unchanged is not patched
  fingerprint  VARCHAR(64),
  created_at   BIGINT       NOT NULL,
  updated_at   BIGINT       NOT NULL,
  CONSTRAINT leave_calendar_event_status CHECK (status IN ('live', 'deleting', 'deleted', 'gone')),
  CONSTRAINT leave_calendar_event_person_fk FOREIGN KEY (person_id) REFERENCES leave_person (id)
);
CREATE INDEX leave_calendar_event_person ON leave_calendar_event (person_id, status);

-- The Accept/Decline messages an invitation sent to the invited workspace's admins, so that every
-- one of them is updated when the invitation is answered or cancelled.
CREATE TABLE sync_invite_message (
  member_id   VARCHAR(32)  NOT NULL,
  channel_id  VARCHAR(32)  NOT NULL,
  ts          VARCHAR(20)  NOT NULL,
  CONSTRAINT sync_invite_message_pk PRIMARY KEY (member_id, channel_id, ts),
  CONSTRAINT sync_invite_message_member_id_fk FOREIGN KEY (member_id) REFERENCES sync_group_member (id)
);

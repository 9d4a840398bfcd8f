-- Messages of other kinds than text (shared::chat::MessageKind): notices of who joined
-- and who left, in the conversation's sequence like every message. `subject_id` is the
-- person a notice names besides its sender (the one added); no foreign key, as with
-- sender_id: a notice outlives the account it names.
ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'text';
ALTER TABLE messages ADD COLUMN subject_id TEXT;

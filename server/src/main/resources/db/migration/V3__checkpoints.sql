-- Checkpoints of sandboxes (issue 11, decision 0022): the engine keeps their files under
-- <data>/checkpoints/<id>/; a row exists once its files are complete. They count against their
-- user's storage quota (size_bytes) and go with their sandbox.

CREATE TABLE checkpoints (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    sandbox_id TEXT NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    size_bytes BIGINT NOT NULL,
    UNIQUE (sandbox_id, name)
);

CREATE INDEX checkpoints_by_user ON checkpoints (user_id);

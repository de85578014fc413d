-- The storage each live sandbox holds against its user's storage quota (decision 0016): root disk
-- (disk_size_mb, else the image's size at create) plus its ephemeral volumes. Sandboxes created
-- before this migration count their disk_size_mb (0 when they used the image's size).

CREATE TABLE sandbox_storage (
    sandbox_id TEXT PRIMARY KEY REFERENCES sandboxes(id) ON DELETE CASCADE,
    storage_mb BIGINT NOT NULL
);

INSERT INTO sandbox_storage (sandbox_id, storage_mb)
    SELECT id, COALESCE(disk_size_mb, 0) FROM sandboxes WHERE status <> 'destroyed';

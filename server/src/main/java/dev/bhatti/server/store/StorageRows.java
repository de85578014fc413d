package dev.bhatti.server.store;

/** SQL for the sandbox_storage table and the user's storage in use (decision 0016). */
final class StorageRows {
    private final Db db;

    StorageRows(Db db) {
        this.db = db;
    }

    void set(String sandboxId, long storageMb) {
        db.write("record storage of sandbox " + sandboxId, c -> Db.update(c,
                "INSERT INTO sandbox_storage (sandbox_id, storage_mb) VALUES (?, ?) "
                        + "ON CONFLICT (sandbox_id) DO UPDATE SET storage_mb = excluded.storage_mb", ps -> {
                    ps.setString(1, sandboxId);
                    ps.setLong(2, storageMb);
                }));
    }

    /** The storage recorded for a sandbox (root disk and ephemeral volumes), MB; 0 when none is. */
    long of(String sandboxId) {
        return db.read("storage of sandbox " + sandboxId, c -> Db.count(c,
                "SELECT COALESCE(SUM(storage_mb), 0) FROM sandbox_storage WHERE sandbox_id = ?",
                ps -> ps.setString(1, sandboxId)));
    }

    /** Persistent volumes, the storage of the user's live sandboxes and their checkpoints, in one read. */
    long usedMb(String userId) {
        return db.read("sum storage of user " + userId, c -> Db.count(c,
                "SELECT (SELECT COALESCE(SUM(size_mb), 0) FROM volumes WHERE user_id = ?)"
                        + " + (SELECT COALESCE(SUM(s.storage_mb), 0) FROM sandbox_storage s"
                        + " JOIN sandboxes b ON b.id = s.sandbox_id WHERE b.user_id = ? AND b.status <> 'destroyed')"
                        + " + (SELECT (COALESCE(SUM(size_bytes), 0) + 1048575) / 1048576 FROM checkpoints WHERE user_id = ?)",
                ps -> {
                    ps.setString(1, userId);
                    ps.setString(2, userId);
                    ps.setString(3, userId);
                }));
    }
}

package dev.bhatti.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** SQL for checkpoints: unique name per sandbox, rows go with their sandbox (ON DELETE CASCADE). */
final class CheckpointRows {
    private static final String SELECT = "SELECT id, user_id, sandbox_id, name, created_at, size_bytes FROM checkpoints";

    private final Db db;

    CheckpointRows(Db db) {
        this.db = db;
    }

    CheckpointRow insert(CheckpointRow r) {
        return db.write("record checkpoint " + r.name() + " of sandbox " + r.sandboxId(), c -> {
            try {
                Db.update(c, "INSERT INTO checkpoints (id, user_id, sandbox_id, name, created_at, size_bytes) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", ps -> {
                            ps.setString(1, r.id());
                            ps.setString(2, r.userId());
                            ps.setString(3, r.sandboxId());
                            ps.setString(4, r.name());
                            Db.setInstant(ps, 5, r.createdAt());
                            ps.setLong(6, r.sizeBytes());
                        });
            } catch (SQLException e) {
                if (Db.uniqueViolation(e)) {
                    throw new StoreException.NameConflict("checkpoint", r.name());
                }
                throw e;
            }
            return r;
        });
    }

    List<CheckpointRow> bySandbox(String userId, String sandboxId) {
        return db.read("list checkpoints of sandbox " + sandboxId, c -> Db.query(c,
                SELECT + " WHERE user_id = ? AND sandbox_id = ? ORDER BY created_at, id", ps -> {
                    ps.setString(1, userId);
                    ps.setString(2, sandboxId);
                }, CheckpointRows::map));
    }

    /** The user's checkpoint by id, or by name within {@code sandboxId} when that is given. */
    Optional<CheckpointRow> find(String userId, String sandboxId, String idOrName) {
        return db.read("find checkpoint " + idOrName, c -> Db.one(c, SELECT + " WHERE user_id = ? AND (id = ?"
                + (sandboxId == null ? "" : " OR (sandbox_id = ? AND name = ?)") + ") ORDER BY id LIMIT 1", ps -> {
                    ps.setString(1, userId);
                    ps.setString(2, idOrName);
                    if (sandboxId != null) {
                        ps.setString(3, sandboxId);
                        ps.setString(4, idOrName);
                    }
                }, CheckpointRows::map));
    }

    List<CheckpointRow> all() {
        return db.read("list all checkpoints", c -> Db.query(c, SELECT + " ORDER BY id", ps -> { },
                CheckpointRows::map));
    }

    boolean delete(String id) {
        return db.write("delete checkpoint " + id, c -> Db.update(c, "DELETE FROM checkpoints WHERE id = ?",
                ps -> ps.setString(1, id)) > 0);
    }

    private static CheckpointRow map(ResultSet rs) throws SQLException {
        return new CheckpointRow(rs.getString("id"), rs.getString("user_id"), rs.getString("sandbox_id"),
                rs.getString("name"), Db.instant(rs.getLong("created_at")), rs.getLong("size_bytes"));
    }
}

package dev.bhatti.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * SQL for volumes and their attachments. Attach rules: a read-write attachment needs the volume to
 * have no other attachment; a read-only one needs it to have no read-write attachment.
 */
final class VolumeRows {
    private static final String SELECT = "SELECT user_id, name, size_mb, created_at FROM volumes";
    private static final String SELECT_ATTACHMENTS =
            "SELECT user_id, volume_name, sandbox_id, mount, read_only FROM attachments";
    private static final String KEY = " WHERE user_id = ? AND name = ?";

    private final Db db;

    VolumeRows(Db db) {
        this.db = db;
    }

    VolumeRow insert(VolumeRow v) {
        return db.write("insert volume " + v.name(), c -> {
            try {
                Db.update(c, "INSERT INTO volumes (user_id, name, size_mb, created_at) VALUES (?, ?, ?, ?)", ps -> {
                    ps.setString(1, v.userId());
                    ps.setString(2, v.name());
                    ps.setInt(3, v.sizeMb());
                    Db.setInstant(ps, 4, v.createdAt());
                });
            } catch (SQLException e) {
                if (Db.uniqueViolation(e)) {
                    throw new StoreException.NameConflict("volume", v.name());
                }
                throw e;
            }
            return v;
        });
    }

    List<VolumeRow> list(String userId) {
        return db.read("list volumes of user " + userId, c -> Db.query(c, SELECT + " WHERE user_id = ? ORDER BY name",
                ps -> ps.setString(1, userId), VolumeRows::map));
    }

    Optional<VolumeRow> get(String userId, String name) {
        return db.read("find volume " + name, c -> find(c, userId, name));
    }

    boolean delete(String userId, String name) {
        return db.write("delete volume " + name, c -> {
            List<Attachment> attached = attachmentsIn(c, userId, name);
            if (!attached.isEmpty()) {
                throw new StoreException.VolumeAttached(name, "is attached to sandbox " + attached.getFirst().sandboxId());
            }
            return Db.update(c, "DELETE FROM volumes" + KEY, ps -> {
                ps.setString(1, userId);
                ps.setString(2, name);
            }) > 0;
        });
    }

    long sumSizeMb(String userId) {
        return db.read("sum volume sizes of user " + userId, c -> Db.count(c,
                "SELECT COALESCE(SUM(size_mb), 0) FROM volumes WHERE user_id = ?", ps -> ps.setString(1, userId)));
    }

    /** Records the attachment; false when the user has no such volume. */
    boolean attach(Attachment a) {
        return db.write("attach volume " + a.volumeName() + " to sandbox " + a.sandboxId(), c -> {
            if (find(c, a.userId(), a.volumeName()).isEmpty()) {
                return false;
            }
            checkAttachable(a, attachmentsIn(c, a.userId(), a.volumeName()));
            Db.update(c, "INSERT INTO attachments (user_id, volume_name, sandbox_id, mount, read_only) "
                    + "VALUES (?, ?, ?, ?, ?)", ps -> {
                        ps.setString(1, a.userId());
                        ps.setString(2, a.volumeName());
                        ps.setString(3, a.sandboxId());
                        ps.setString(4, a.mount());
                        ps.setInt(5, a.readOnly() ? 1 : 0);
                    });
            return true;
        });
    }

    private static void checkAttachable(Attachment a, List<Attachment> existing) {
        for (Attachment other : existing) {
            if (other.sandboxId().equals(a.sandboxId())) {
                throw new StoreException.VolumeAttached(a.volumeName(), "is already attached to sandbox " + a.sandboxId());
            }
            if (!a.readOnly() || !other.readOnly()) {
                throw new StoreException.VolumeAttached(a.volumeName(), "is attached "
                        + (other.readOnly() ? "read-only" : "read-write") + " to sandbox " + other.sandboxId());
            }
        }
    }

    void detachAll(String sandboxId) {
        db.write("detach volumes of sandbox " + sandboxId, c ->
                Db.update(c, "DELETE FROM attachments WHERE sandbox_id = ?", ps -> ps.setString(1, sandboxId)));
    }

    List<Attachment> attachments(String userId, String volumeName) {
        return db.read("list attachments of volume " + volumeName, c -> attachmentsIn(c, userId, volumeName));
    }

    private static Optional<VolumeRow> find(Connection c, String userId, String name) throws SQLException {
        return Db.one(c, SELECT + KEY, ps -> {
            ps.setString(1, userId);
            ps.setString(2, name);
        }, VolumeRows::map);
    }

    private static List<Attachment> attachmentsIn(Connection c, String userId, String volumeName) throws SQLException {
        return Db.query(c, SELECT_ATTACHMENTS + " WHERE user_id = ? AND volume_name = ? ORDER BY sandbox_id", ps -> {
            ps.setString(1, userId);
            ps.setString(2, volumeName);
        }, rs -> new Attachment(rs.getString("user_id"), rs.getString("volume_name"), rs.getString("sandbox_id"),
                rs.getString("mount"), rs.getInt("read_only") != 0));
    }

    private static VolumeRow map(ResultSet rs) throws SQLException {
        return new VolumeRow(rs.getString("user_id"), rs.getString("name"), rs.getInt("size_mb"),
                Db.instant(rs.getLong("created_at")));
    }
}

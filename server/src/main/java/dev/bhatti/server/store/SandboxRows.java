package dev.bhatti.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SQL for the sandboxes table. Destroyed rows are invisible to user-scoped lookups. The agent
 * token in {@code vm_state} is sealed on the way in and opened on the way out ({@link TokenSeal}).
 */
final class SandboxRows {
    private static final String COLUMNS = "id, user_id, name, status, cpus, memory_mb, disk_size_mb, image, "
            + "template_id, keep_hot, labels, created_at, stopped_at, vm_state";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM sandboxes";
    private static final String NEWEST_FIRST = " ORDER BY created_at DESC, id";

    private final Db db;
    private final Json json;
    private final TokenSeal seal;

    SandboxRows(Db db, Json json, TokenSeal seal) {
        this.db = db;
        this.json = json;
        this.seal = seal;
    }

    /** Seals the plaintext agent tokens an older daemon stored; answers how many rows it changed. */
    int sealPlaintextTokens() {
        return db.write("seal plaintext agent tokens", c -> {
            List<String[]> rows = Db.query(c, "SELECT id, vm_state FROM sandboxes WHERE vm_state IS NOT NULL",
                    ps -> { }, rs -> new String[] {rs.getString(1), rs.getString(2)});
            int sealed = 0;
            for (String[] row : rows) {
                if (seal.plaintext(row[1])) {
                    Db.update(c, "UPDATE sandboxes SET vm_state = ? WHERE id = ?", ps -> {
                        ps.setString(1, seal.seal(row[1]));
                        ps.setString(2, row[0]);
                    });
                    sealed++;
                }
            }
            return sealed;
        });
    }

    SandboxRow insert(SandboxRow row) {
        return db.write("insert sandbox " + row.id(), c -> {
            try {
                Db.update(c, "INSERT INTO sandboxes (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        ps -> bind(ps, row));
            } catch (SQLException e) {
                throw conflictOr(e, row);
            }
            return row;
        });
    }

    Optional<SandboxRow> byUser(String userId, String idOrName) {
        return db.read("find sandbox " + idOrName, c -> Db.one(c,
                SELECT + " WHERE user_id = ? AND status <> 'destroyed' AND (id = ? OR name = ?)"
                        + " ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END", ps -> {
                    ps.setString(1, userId);
                    ps.setString(2, idOrName);
                    ps.setString(3, idOrName);
                    ps.setString(4, idOrName);
                }, this::map));
    }

    Optional<SandboxRow> byId(String id) {
        return db.read("find sandbox " + id, c -> Db.one(c, SELECT + " WHERE id = ?", ps -> ps.setString(1, id),
                this::map));
    }

    List<SandboxRow> list(String userId, Map<String, String> labelFilter) {
        List<SandboxRow> rows = db.read("list sandboxes of user " + userId, c -> Db.query(c,
                SELECT + " WHERE user_id = ? AND status <> 'destroyed'" + NEWEST_FIRST,
                ps -> ps.setString(1, userId), this::map));
        if (labelFilter == null || labelFilter.isEmpty()) {
            return rows;
        }
        return rows.stream().filter(r -> r.labels().entrySet().containsAll(labelFilter.entrySet())).toList();
    }

    List<SandboxRow> all() {
        return db.read("list all sandboxes", c -> Db.query(c, SELECT + NEWEST_FIRST, ps -> { }, this::map));
    }

    int count(String userId) {
        return db.read("count sandboxes of user " + userId, c -> (int) UserRows.liveSandboxes(c, userId));
    }

    boolean update(SandboxRow row) {
        return db.write("update sandbox " + row.id(), c -> {
            try {
                return Db.update(c, "UPDATE sandboxes SET name = ?, status = ?, cpus = ?, memory_mb = ?, "
                        + "disk_size_mb = ?, image = ?, template_id = ?, keep_hot = ?, labels = ?, stopped_at = ?, "
                        + "vm_state = ? WHERE id = ? AND user_id = ?", ps -> bindUpdate(ps, row)) > 0;
            } catch (SQLException e) {
                throw conflictOr(e, row);
            }
        });
    }

    /** Removes the row; its attachments and publish rules go with it (foreign-key cascade). */
    boolean delete(String id) {
        return db.write("delete sandbox " + id,
                c -> Db.update(c, "DELETE FROM sandboxes WHERE id = ?", ps -> ps.setString(1, id)) > 0);
    }

    /** Throws a name conflict for a unique violation; otherwise returns {@code e} for the caller to throw. */
    private static SQLException conflictOr(SQLException e, SandboxRow row) {
        if (Db.uniqueViolation(e)) {
            throw new StoreException.NameConflict("sandbox", row.name());
        }
        return e;
    }

    private void bind(PreparedStatement ps, SandboxRow r) throws SQLException {
        ps.setString(1, r.id());
        ps.setString(2, r.userId());
        ps.setString(3, r.name());
        ps.setString(4, r.status());
        ps.setInt(5, r.cpus());
        ps.setInt(6, r.memoryMb());
        Db.setInteger(ps, 7, r.diskSizeMb());
        ps.setString(8, r.image());
        ps.setString(9, r.templateId());
        ps.setInt(10, r.keepHot() ? 1 : 0);
        ps.setString(11, json.write(r.labels()));
        Db.setInstant(ps, 12, r.createdAt());
        Db.setInstant(ps, 13, r.stoppedAt());
        ps.setString(14, seal.seal(r.vmState()));
    }

    private void bindUpdate(PreparedStatement ps, SandboxRow r) throws SQLException {
        ps.setString(1, r.name());
        ps.setString(2, r.status());
        ps.setInt(3, r.cpus());
        ps.setInt(4, r.memoryMb());
        Db.setInteger(ps, 5, r.diskSizeMb());
        ps.setString(6, r.image());
        ps.setString(7, r.templateId());
        ps.setInt(8, r.keepHot() ? 1 : 0);
        ps.setString(9, json.write(r.labels()));
        Db.setInstant(ps, 10, r.stoppedAt());
        ps.setString(11, seal.seal(r.vmState()));
        ps.setString(12, r.id());
        ps.setString(13, r.userId());
    }

    private SandboxRow map(ResultSet rs) throws SQLException {
        return new SandboxRow(rs.getString("id"), rs.getString("user_id"), rs.getString("name"),
                rs.getString("status"), rs.getInt("cpus"), rs.getInt("memory_mb"),
                Db.integerOrNull(rs, "disk_size_mb"), rs.getString("image"), rs.getString("template_id"),
                rs.getInt("keep_hot") != 0, json.map(rs.getString("labels")), Db.instant(rs.getLong("created_at")),
                Db.instantOrNull(rs, "stopped_at"), seal.open(rs.getString("id"), rs.getString("vm_state")));
    }
}

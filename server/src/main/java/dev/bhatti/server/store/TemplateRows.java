package dev.bhatti.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** SQL for the templates table. */
final class TemplateRows {
    private static final String COLUMNS = "id, user_id, name, image, cpus, memory_mb, env, init, secrets, created_at";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM templates";
    private static final String BY_ID_OR_NAME = " WHERE user_id = ? AND (id = ? OR name = ?)";

    private final Db db;
    private final Json json;

    TemplateRows(Db db, Json json) {
        this.db = db;
        this.json = json;
    }

    TemplateRow insert(TemplateRow t) {
        return db.write("insert template " + t.id(), c -> {
            try {
                Db.update(c, "INSERT INTO templates (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
                    ps.setString(1, t.id());
                    ps.setString(2, t.userId());
                    ps.setString(3, t.name());
                    ps.setString(4, t.image());
                    Db.setInteger(ps, 5, t.cpus());
                    Db.setInteger(ps, 6, t.memoryMb());
                    ps.setString(7, json.write(t.env()));
                    ps.setString(8, t.init());
                    ps.setString(9, json.write(t.secrets()));
                    Db.setInstant(ps, 10, t.createdAt());
                });
            } catch (SQLException e) {
                if (Db.uniqueViolation(e)) {
                    throw new StoreException.NameConflict("template", t.name());
                }
                throw e;
            }
            return t;
        });
    }

    List<TemplateRow> list(String userId) {
        return db.read("list templates of user " + userId, c -> Db.query(c,
                SELECT + " WHERE user_id = ? ORDER BY created_at DESC, id", ps -> ps.setString(1, userId), this::map));
    }

    Optional<TemplateRow> get(String userId, String idOrName) {
        return db.read("find template " + idOrName, c -> Db.one(c,
                SELECT + BY_ID_OR_NAME + " ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END", ps -> {
                    ps.setString(1, userId);
                    ps.setString(2, idOrName);
                    ps.setString(3, idOrName);
                    ps.setString(4, idOrName);
                }, this::map));
    }

    boolean delete(String userId, String idOrName) {
        return db.write("delete template " + idOrName, c -> Db.update(c, "DELETE FROM templates" + BY_ID_OR_NAME,
                ps -> {
                    ps.setString(1, userId);
                    ps.setString(2, idOrName);
                    ps.setString(3, idOrName);
                }) > 0);
    }

    private TemplateRow map(ResultSet rs) throws SQLException {
        return new TemplateRow(rs.getString("id"), rs.getString("user_id"), rs.getString("name"),
                rs.getString("image"), Db.integerOrNull(rs, "cpus"), Db.integerOrNull(rs, "memory_mb"),
                json.map(rs.getString("env")), rs.getString("init"), json.list(rs.getString("secrets")),
                Db.instant(rs.getLong("created_at")));
    }
}

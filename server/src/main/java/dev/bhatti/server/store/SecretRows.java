package dev.bhatti.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** SQL for the secrets table. Values are stored sealed; this class never sees plaintext. */
final class SecretRows {
    private static final String SELECT = "SELECT user_id, name, ciphertext, created_at, updated_at FROM secrets";
    private static final String KEY = " WHERE user_id = ? AND name = ?";

    private final Db db;

    SecretRows(Db db) {
        this.db = db;
    }

    /** Inserts or replaces the value; an existing secret keeps its created_at. */
    SecretRow upsert(SecretRow s) {
        return db.write("upsert secret " + s.name(), c -> {
            Db.update(c, "INSERT INTO secrets (user_id, name, ciphertext, created_at, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, name) "
                    + "DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at", ps -> {
                        ps.setString(1, s.userId());
                        ps.setString(2, s.name());
                        ps.setBytes(3, s.ciphertext());
                        Db.setInstant(ps, 4, s.createdAt());
                        Db.setInstant(ps, 5, s.updatedAt());
                    });
            return Db.one(c, SELECT + KEY, ps -> {
                ps.setString(1, s.userId());
                ps.setString(2, s.name());
            }, SecretRows::map).orElseThrow(() -> new SQLException("secret " + s.name() + " vanished after upsert"));
        });
    }

    List<SecretRow> list(String userId) {
        return db.read("list secrets of user " + userId, c -> Db.query(c, SELECT + " WHERE user_id = ? ORDER BY name",
                ps -> ps.setString(1, userId), SecretRows::map));
    }

    Optional<SecretRow> get(String userId, String name) {
        return db.read("find secret " + name, c -> Db.one(c, SELECT + KEY, ps -> {
            ps.setString(1, userId);
            ps.setString(2, name);
        }, SecretRows::map));
    }

    boolean delete(String userId, String name) {
        return db.write("delete secret " + name, c -> Db.update(c, "DELETE FROM secrets" + KEY, ps -> {
            ps.setString(1, userId);
            ps.setString(2, name);
        }) > 0);
    }

    private static SecretRow map(ResultSet rs) throws SQLException {
        return new SecretRow(rs.getString("user_id"), rs.getString("name"), rs.getBytes("ciphertext"),
                Db.instant(rs.getLong("created_at")), Db.instant(rs.getLong("updated_at")));
    }
}

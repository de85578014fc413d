package dev.bhatti.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** SQL for publish rules. Aliases are unique across all users; one rule per sandbox and port. */
final class PublishRows {
    private static final String SELECT = "SELECT id, user_id, sandbox_id, port, alias, created_at FROM publish_rules";

    private final Db db;

    PublishRows(Db db) {
        this.db = db;
    }

    /** Inserts the rule, or returns the existing one for the same sandbox and port. */
    PublishRow insert(PublishRow p) {
        return db.write("publish port " + p.port() + " of sandbox " + p.sandboxId(), c -> {
            Optional<PublishRow> existing = bySandboxPort(c, p.userId(), p.sandboxId(), p.port());
            if (existing.isPresent()) {
                return existing.get();
            }
            try {
                Db.update(c, "INSERT INTO publish_rules (id, user_id, sandbox_id, port, alias, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", ps -> {
                            ps.setString(1, p.id());
                            ps.setString(2, p.userId());
                            ps.setString(3, p.sandboxId());
                            ps.setInt(4, p.port());
                            ps.setString(5, p.alias());
                            Db.setInstant(ps, 6, p.createdAt());
                        });
            } catch (SQLException e) {
                if (Db.uniqueViolation(e)) {
                    throw new StoreException.AliasConflict(p.alias());
                }
                throw e;
            }
            return p;
        });
    }

    List<PublishRow> bySandbox(String userId, String sandboxId) {
        return db.read("list publish rules of sandbox " + sandboxId, c -> Db.query(c,
                SELECT + " WHERE user_id = ? AND sandbox_id = ? ORDER BY port", ps -> {
                    ps.setString(1, userId);
                    ps.setString(2, sandboxId);
                }, PublishRows::map));
    }

    Optional<PublishRow> byAlias(String alias) {
        return db.read("find publish alias " + alias, c -> Db.one(c, SELECT + " WHERE alias = ?",
                ps -> ps.setString(1, alias), PublishRows::map));
    }

    boolean delete(String userId, String sandboxId, int port) {
        return db.write("unpublish port " + port + " of sandbox " + sandboxId, c -> Db.update(c,
                "DELETE FROM publish_rules WHERE user_id = ? AND sandbox_id = ? AND port = ?", ps -> {
                    ps.setString(1, userId);
                    ps.setString(2, sandboxId);
                    ps.setInt(3, port);
                }) > 0);
    }

    private static Optional<PublishRow> bySandboxPort(Connection c, String userId, String sandboxId, int port)
            throws SQLException {
        return Db.one(c, SELECT + " WHERE user_id = ? AND sandbox_id = ? AND port = ?", ps -> {
            ps.setString(1, userId);
            ps.setString(2, sandboxId);
            ps.setInt(3, port);
        }, PublishRows::map);
    }

    private static PublishRow map(ResultSet rs) throws SQLException {
        return new PublishRow(rs.getString("id"), rs.getString("user_id"), rs.getString("sandbox_id"),
                rs.getInt("port"), rs.getString("alias"), Db.instant(rs.getLong("created_at")));
    }
}

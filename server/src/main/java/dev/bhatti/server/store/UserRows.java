package dev.bhatti.server.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** SQL for the users table. */
final class UserRows {
    private static final String COLUMNS = "id, name, key_hash, max_sandboxes, max_cpus, max_memory_mb, "
            + "max_volume_storage_mb, created_at";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM users";

    private final Db db;

    UserRows(Db db) {
        this.db = db;
    }

    User create(User u) {
        return db.write("create user " + u.name(), c -> {
            try {
                Db.update(c, "INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
                    ps.setString(1, u.id());
                    ps.setString(2, u.name());
                    ps.setString(3, u.keyHash());
                    ps.setInt(4, u.limits().maxSandboxes());
                    ps.setInt(5, u.limits().maxCpus());
                    ps.setInt(6, u.limits().maxMemoryMb());
                    ps.setInt(7, u.limits().maxStorageMb());
                    Db.setInstant(ps, 8, u.createdAt());
                });
            } catch (SQLException e) {
                if (Db.uniqueViolation(e)) {
                    throw new StoreException.NameConflict("user", u.name());
                }
                throw e;
            }
            return u;
        });
    }

    Optional<User> byName(String name) {
        return db.read("find user " + name, c -> Db.one(c, SELECT + " WHERE name = ?", ps -> ps.setString(1, name),
                UserRows::map));
    }

    Optional<User> byId(String id) {
        return db.read("find user " + id, c -> Db.one(c, SELECT + " WHERE id = ?", ps -> ps.setString(1, id),
                UserRows::map));
    }

    /** Compares against every user's hash in constant time per comparison, without an early exit. */
    Optional<User> byKeyHash(String keyHash) {
        byte[] wanted = keyHash.getBytes(StandardCharsets.US_ASCII);
        User found = null;
        for (User u : all()) {
            if (MessageDigest.isEqual(wanted, u.keyHash().getBytes(StandardCharsets.US_ASCII))) {
                found = u;
            }
        }
        return Optional.ofNullable(found);
    }

    List<User> all() {
        return db.read("list users", c -> Db.query(c, SELECT + " ORDER BY name", ps -> { }, UserRows::map));
    }

    boolean setKeyHash(String userId, String keyHash) {
        return db.write("set key of user " + userId, c -> Db.update(c, "UPDATE users SET key_hash = ? WHERE id = ?",
                ps -> {
                    ps.setString(1, keyHash);
                    ps.setString(2, userId);
                }) > 0);
    }

    /** Deletes the user and, by cascade, its templates, secrets, volumes and destroyed sandboxes. */
    boolean delete(String userId) {
        return db.write("delete user " + userId, c -> {
            long live = liveSandboxes(c, userId);
            if (live > 0) {
                throw new StoreException.UserHasSandboxes(userId, (int) live);
            }
            return Db.update(c, "DELETE FROM users WHERE id = ?", ps -> ps.setString(1, userId)) > 0;
        });
    }

    static long liveSandboxes(Connection c, String userId) throws SQLException {
        return Db.count(c, "SELECT COUNT(*) FROM sandboxes WHERE user_id = ? AND status <> 'destroyed'",
                ps -> ps.setString(1, userId));
    }

    private static User map(ResultSet rs) throws SQLException {
        Limits limits = new Limits(rs.getInt("max_sandboxes"), rs.getInt("max_cpus"), rs.getInt("max_memory_mb"),
                rs.getInt("max_volume_storage_mb"));
        return new User(rs.getString("id"), rs.getString("name"), rs.getString("key_hash"), limits,
                Db.instant(rs.getLong("created_at")));
    }
}

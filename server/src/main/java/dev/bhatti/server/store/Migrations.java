package dev.bhatti.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations: {@code db/migration/V<n>__<what>.sql} resources, applied in order,
 * each in its own transaction together with its row in {@code schema_version}. Reopening a store
 * applies only what is missing.
 */
final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    /** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
    static final List<String> ALL = List.of("V1__init.sql", "V2__sandbox_storage.sql", "V3__checkpoints.sql",
            "V4__egress.sql");

    private Migrations() {
    }

    /** Brings the schema up to date; returns the resulting version. */
    static int apply(Db db) {
        db.write("create schema_version", c -> {
            Db.update(c, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                    + "name TEXT NOT NULL, applied_at BIGINT NOT NULL)", ps -> { });
            return null;
        });
        for (String name : ALL) {
            int version = version(name);
            db.write("migration " + name, c -> applyIfMissing(c, version, name));
        }
        return currentVersion(db);
    }

    static int currentVersion(Db db) {
        return db.read("read schema version", c ->
                (int) Db.count(c, "SELECT COALESCE(MAX(version), 0) FROM schema_version", ps -> { }));
    }

    private static Void applyIfMissing(Connection c, int version, String name) throws SQLException {
        long present = Db.count(c, "SELECT COUNT(*) FROM schema_version WHERE version = ?", ps -> ps.setInt(1, version));
        if (present > 0) {
            return null;
        }
        try (Statement st = c.createStatement()) {
            for (String sql : statements(load(name))) {
                st.execute(sql);
            }
        }
        Db.update(c, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)", ps -> {
            ps.setInt(1, version);
            ps.setString(2, name);
            ps.setLong(3, Db.nanos(Instant.now()));
        });
        log.info("store: applied migration version={} name={}", version, name);
        return null;
    }

    static int version(String name) {
        if (!name.matches("V[0-9]+__[A-Za-z0-9_]+\\.sql")) {
            throw new IllegalStateException("migration name " + name + " does not match V<n>__<what>.sql");
        }
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    /** Splits a script into statements at semicolons that end a line; drops comments. */
    static List<String> statements(String script) {
        String withoutComments = Arrays.stream(script.split("\n"))
                .filter(line -> !line.strip().startsWith("--"))
                .reduce("", (a, b) -> a + b + "\n");
        return Arrays.stream(withoutComments.split(";\\s*\n"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static String load(String name) throws SQLException {
        String resource = "/db/migration/" + name;
        try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new SQLException("migration resource " + resource + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SQLException("cannot read migration resource " + resource, e);
        }
    }
}

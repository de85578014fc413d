package dev.bhatti.server.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Builders for test rows. */
final class Rows {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");

    private Rows() {
    }

    static SqliteStore store(Path dir) {
        return SqliteStore.open(dir);
    }

    static String hash() {
        byte[] b = new byte[32];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static User user(Store store, String name) {
        return store.createUser(new User("usr_" + name, name, hash(), Limits.DEFAULT, T0));
    }

    static SandboxRow sandbox(User u, String id, String name, Instant createdAt) {
        return new SandboxRow(id, u.id(), name, "running", 1, 512, null, "minimal", null, false, Map.of(),
                createdAt, null, null);
    }

    static SandboxRow sandbox(User u, String id, String name) {
        return sandbox(u, id, name, T0);
    }
}

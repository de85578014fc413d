package dev.bhatti.engine.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bhatti.engine.OwnerOnly;
import dev.bhatti.engine.qemu.qmp.QmpClient;
import dev.bhatti.engine.qemu.qmp.QmpCommand;
import dev.bhatti.engine.qemu.qmp.QmpException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Snapshot save and load over QMP. Guest memory lives in a shared file, so by default only device
 * state is migrated ({@code x-ignore-shared}: tens of KB); {@link Mode#FULL} migrates RAM too (the
 * fallback, and a portable export).
 */
final class Snapshots {
    /** What a snapshot holds. */
    enum Mode { SHARED_MEMORY, FULL }

    /** The descriptor a VMM restoring a full stream reads it from ({@link Vmm#launch}). */
    static final int STREAM_FD = 3;
    private static final Duration MIGRATION_TIMEOUT = Duration.ofMinutes(2);
    /** Polls back off to this: a capture's guest stands still until the end of its save is seen. */
    private static final long POLL_MAX_NANOS = 2_000_000;

    private Snapshots() {}

    /** Pauses (if running) and writes device state to {@code dir.state()} atomically. */
    static long save(QmpClient qmp, SandboxDir dir, Mode mode) throws IOException {
        setCapability(qmp, mode);
        qmp.execute(QmpCommand.STOP);
        Files.deleteIfExists(dir.stateInProgress());
        qmp.execute(QmpCommand.MIGRATE, Map.of("uri", "exec:cat > " + quoted(dir.stateInProgress())));
        awaitMigration(qmp, "save");
        Files.move(dir.stateInProgress(), dir.state(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        OwnerOnly.write(dir.path().resolve("state.mode"), mode.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return Files.size(dir.state());
    }

    /** Loads {@code dir.state()} into a VMM started with {@code -incoming defer}, then runs it. */
    static void load(QmpClient qmp, SandboxDir dir) throws IOException {
        Mode mode = mode(dir);
        setCapability(qmp, mode);
        qmp.execute(QmpCommand.MIGRATE_INCOMING, Map.of("uri", mode == Mode.FULL ? "fd:" + STREAM_FD
                : "exec:cat " + quoted(dir.state())));
        awaitMigration(qmp, "restore");
        if (!qmp.execute(QmpCommand.QUERY_STATUS).path("running").asBoolean()) {
            qmp.execute(QmpCommand.CONT);
        }
    }

    static Mode mode(SandboxDir dir) throws IOException {
        Path f = dir.path().resolve("state.mode");
        return Files.exists(f) ? Mode.valueOf(Files.readString(f).strip()) : Mode.SHARED_MEMORY;
    }

    static void setCapability(QmpClient qmp, Mode mode) throws IOException {
        qmp.execute(QmpCommand.MIGRATE_SET_CAPABILITIES, Map.of("capabilities",
                List.of(Map.of("capability", "x-ignore-shared", "state", mode == Mode.SHARED_MEMORY))));
    }

    /** Polls until the migration completed; answers its last {@code query-migrate} reply. */
    static JsonNode awaitMigration(QmpClient qmp, String what) throws IOException {
        long deadline = System.nanoTime() + MIGRATION_TIMEOUT.toNanos();
        long pause = 200_000;
        while (System.nanoTime() < deadline) {
            JsonNode info = qmp.execute(QmpCommand.QUERY_MIGRATE);
            String status = info.path("status").asText("none");
            switch (status) {
                case "completed" -> {
                    return info;
                }
                case "failed", "cancelled" -> throw new QmpException(what + " failed: "
                        + info.path("error-desc").asText(status));
                default -> LockSupport.parkNanos(pause);
            }
            pause = Math.min(pause * 2, POLL_MAX_NANOS);
        }
        throw new QmpException(what + " did not complete within " + MIGRATION_TIMEOUT);
    }

    static String quoted(Path p) {
        String s = p.toAbsolutePath().toString();
        if (s.contains("'")) {
            throw new IllegalArgumentException("sandbox path must not contain a single quote: " + s);
        }
        return "'" + s + "'";
    }
}

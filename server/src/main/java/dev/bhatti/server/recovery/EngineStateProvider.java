package dev.bhatti.server.recovery;

import dev.bhatti.engine.Engine;
import dev.bhatti.engine.VmState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The real provider: checks the snapshot files in the sandbox directory and registers the
 * sandbox with {@link Engine#importState}. The file names are the QEMU engine's sandbox layout
 * (ARCHITECTURE.md "disk layout"): {@code state} (device state, non-empty once a snapshot
 * completed), {@code mem} (guest memory) and {@code root.qcow2} (root overlay).
 */
public final class EngineStateProvider implements VmStateProvider {
    private final Engine engine;

    public EngineStateProvider(Engine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    @Override
    public boolean snapshotComplete(VmState state) {
        Path dir = state.dir();
        return nonEmpty(dir.resolve("state")) && nonEmpty(dir.resolve("mem")) && nonEmpty(dir.resolve("root.qcow2"));
    }

    @Override
    public void register(VmState state) {
        engine.importState(state);
    }

    private static boolean nonEmpty(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) > 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inspect snapshot file " + file, e);
        }
    }
}

package dev.bhatti.server.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.engine.Thermal;
import dev.bhatti.engine.VmInfo;
import dev.bhatti.engine.VmState;
import dev.bhatti.engine.qemu.GuestImages;
import dev.bhatti.engine.qemu.QemuEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real provider against a real QemuEngine (no VM is booted: registering only records a cold VM). */
class EngineStateProviderTest {
    @TempDir
    Path data;

    @Test
    void completeSnapshotFilesAreRecognisedAndRegisterACleanColdSandbox() throws IOException {
        VmState state = state("whole");
        writeSnapshot(state.dir(), true);
        try (QemuEngine engine = new QemuEngine(data, GuestImages.fromCache())) {
            EngineStateProvider provider = new EngineStateProvider(engine);

            assertThat(provider.snapshotComplete(state)).isTrue();
            provider.register(state);

            VmInfo info = engine.status("whole");
            assertThat(info.thermal()).isEqualTo(Thermal.COLD);
            assertThat(info.broken()).isEmpty();
        }
    }

    @Test
    void emptyDeviceStateIsIncompleteAndRegistersTheSandboxAsBroken() throws IOException {
        VmState state = state("torn");
        writeSnapshot(state.dir(), false);
        try (QemuEngine engine = new QemuEngine(data, GuestImages.fromCache())) {
            EngineStateProvider provider = new EngineStateProvider(engine);

            assertThat(provider.snapshotComplete(state)).isFalse();
            provider.register(state);

            assertThat(engine.status("torn").broken()).hasValueSatisfying(b -> assertThat(b).contains("device state"));
        }
    }

    @Test
    void missingSandboxDirectoryIsIncomplete() throws IOException {
        try (QemuEngine engine = new QemuEngine(data, GuestImages.fromCache())) {
            assertThat(new EngineStateProvider(engine).snapshotComplete(state("nowhere"))).isFalse();
        }
    }

    private VmState state(String id) {
        return new VmState(id, id, data.resolve("sandboxes").resolve(id), 1, 512, "token", 40000, 40001, List.of(), 0,
                Optional.empty());
    }

    private static void writeSnapshot(Path dir, boolean withDeviceState) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("state"), withDeviceState ? new byte[] {1, 2, 3} : new byte[0]);
        Files.write(dir.resolve("mem"), new byte[] {0});
        Files.write(dir.resolve("root.qcow2"), new byte[] {0});
    }
}

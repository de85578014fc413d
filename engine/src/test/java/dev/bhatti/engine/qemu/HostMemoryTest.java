package dev.bhatti.engine.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.Thermal;
import dev.bhatti.engine.VmState;
import dev.bhatti.proto.ExecRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Host memory a sandbox holds (decision 0026), on real VMs: memory its guest frees goes back to the
 * host, and a sandbox stopped by an engine without the free-page-reporting device comes back in one
 * that has it (an upgrade).
 */
class HostMemoryTest {
    private static EngineFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new EngineFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void memoryTheGuestTouchedAndFreedGoesBackToTheHostWithinSeconds() throws Exception {
        String id = fx.create("freed").id();
        try {
            long before = guestRamOnHostMib(id);
            var r = fx.engine.agent(id).exec(ExecRequest.of("python3", "-c",
                    "b = bytearray(192 * 1024 * 1024)\nfor i in range(0, len(b), 4096): b[i] = 1"));
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            long peak = guestRamOnHostMib(id);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            long now = peak;
            while (now > before + 64 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
                now = guestRamOnHostMib(id);
            }
            assertThat(peak).as("the guest's 192 MiB reached the host (before: %d MiB)", before).isGreaterThan(before + 128);
            assertThat(now).as("after the guest freed it (before %d, peak %d MiB)", before, peak).isLessThanOrEqualTo(before + 64);
        } finally {
            fx.engine.destroy(id);
        }
    }

    @Test
    void aSandboxStoppedWithoutTheBalloonComesBackInAnEngineThatHasIt() throws Exception {
        Path data = Files.createTempDirectory(fx.dataDir, "old");
        String id = EngineFixture.newId("upgrade");
        VmState state;
        try (QemuEngine old = new QemuEngine(data, GuestImages.fromCache(), NetworkMode.user(),
                Accel.detect().withFreePageReporting(false))) {
            old.create(CreateSpec.basic(id));
            old.agent(id).exec(ExecRequest.of("sh", "-c", "sleep 3600 & echo $! > /tmp/sleeper"));
            old.stop(id);
            state = VmState.fromMap(old.exportState(id).toMap());
        }
        try (QemuEngine current = new QemuEngine(data, GuestImages.fromCache())) {
            assertThat(current.importState(state).thermal()).isEqualTo(Thermal.COLD);
            current.ensureHot(id);
            var alive = current.agent(id).exec(ExecRequest.of("sh", "-c", "kill -0 $(cat /tmp/sleeper) && echo alive"));
            assertThat(alive.stdout()).as(alive.stderr()).isEqualTo("alive\n");
            current.destroy(id);
        }
    }

    /** The QEMU process's file-backed and shared RSS: the guest RAM it touched, and its own binary's pages. */
    private static long guestRamOnHostMib(String id) throws Exception {
        ProcessHandle qemu = fx.vmms().stream().filter(p -> p.info().commandLine().orElse("").contains("/" + id + "/"))
                .findFirst().orElseThrow();
        long kb = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(qemu.pid()), "status"))) {
            if (line.startsWith("RssFile:") || line.startsWith("RssShmem:")) {
                kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return kb / 1024;
    }
}

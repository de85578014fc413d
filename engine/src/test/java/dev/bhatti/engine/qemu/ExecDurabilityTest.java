package dev.bhatti.engine.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.engine.CreateSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A volume's data is on its image when an exec's EXIT arrives, now that EXIT waits for no
 * {@code sync(2)} of the whole guest (decision 0025): a real VM whose QEMU is killed with SIGKILL
 * right after (nothing flushed on the way out).
 */
class ExecDurabilityTest {
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
    void whatAnExecWroteToAWritableVolumeIsOnItsImageWhenExitArrives() throws Exception {
        Path image = fx.dataDir.resolve("durable-volume.ext4");
        run(List.of("truncate", "-s", "64M", image.toString()));
        run(List.of("mkfs.ext4", "-q", "-F", image.toString()));
        String id = EngineFixture.newId("volsync");
        fx.engine.create(new CreateSpec(id, id, 1, 512, null, Map.of(), null, Map.of(),
                List.of(new CreateSpec.VolumeSpec(image, "/data", false, 0))));
        try {
            String nonce = UUID.randomUUID().toString();
            var r = fx.sh(id, "echo " + nonce + " > /data/written");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            killVmm();
            assertThat(run(List.of("debugfs", "-R", "cat /written", image.toString())))
                    .as("the volume image right after EXIT and a SIGKILL of QEMU").contains(nonce);
        } finally {
            fx.engine.destroy(id);
        }
    }

    private static void killVmm() throws Exception {
        ProcessHandle qemu = fx.vmms().getFirst();
        qemu.destroyForcibly();
        qemu.onExit().get(10, TimeUnit.SECONDS);
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }
}

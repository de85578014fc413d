package dev.bhatti.engine.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.client.AgentClient;
import dev.bhatti.client.ExecResult;
import dev.bhatti.client.Terminal;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.Thermal;
import dev.bhatti.engine.VmInfo;
import dev.bhatti.proto.ExecRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Create, exec, shell, destroy, template-free creation and two VMs at once, on real QEMU VMs. */
class EngineLifecycleTest {
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
    void createExecShellDestroyLeavesNothingBehind() throws Exception {
        VmInfo vm = fx.create("life");
        assertThat(vm.thermal()).isEqualTo(Thermal.HOT);
        ExecResult uname = fx.sh(vm.id(), "uname -s; id -un; pwd");
        assertThat(uname.exitCode()).isZero();
        assertThat(uname.stdout()).isEqualTo("Linux\nlohar\n/workspace\n");
        try (Terminal t = fx.engine.agent(vm.id()).openTerminal(ExecRequest.builder("bash").tty(24, 80).build())) {
            t.write("echo shell-$((40+2))\n".getBytes(StandardCharsets.UTF_8));
            assertThat(readUntil(t, "shell-42")).contains("shell-42");
        }
        Path dir = fx.sandboxDir(vm.id());
        assertThat(dir).isDirectory();
        fx.engine.destroy(vm.id());
        assertThat(dir).doesNotExist();
        assertThat(fx.vmms()).isEmpty();
        assertThatThrownBy(() -> fx.engine.status(vm.id())).isInstanceOf(EngineException.NotFound.class);
        fx.engine.destroy(vm.id());
    }

    @Test
    void templateFreeCreationAppliesCpusMemoryDiskEnvInitFilesAndVolumes() throws Exception {
        String id = EngineFixture.newId("spec");
        CreateSpec spec = new CreateSpec(id, "custom-name", 2, 768, 2048, Map.of("GREETING", "hello"),
                "echo init-ran > /workspace/init.out",
                Map.of("/workspace/given.txt", new CreateSpec.FileSpec("given\n".getBytes(), "0600")),
                List.of(new CreateSpec.VolumeSpec(null, "/data", false, 64)));
        fx.engine.create(spec);
        try {
            ExecResult r = fx.sh(id, "nproc; awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo; echo $GREETING; "
                    + "hostname; cat given.txt; stat -c %a given.txt; mountpoint -q /data && touch /data/w && echo data-ok; "
                    + "df -m --output=size / | tail -1");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            String[] lines = r.stdout().split("\n");
            assertThat(lines[0]).isEqualTo("2");
            assertThat(Integer.parseInt(lines[1])).isBetween(600, 768);
            assertThat(List.of(lines).subList(2, lines.length - 1))
                    .containsExactly("hello", "custom-name", "given", "600", "data-ok");
            assertThat(Integer.parseInt(lines[lines.length - 1].trim())).as("root fs MiB").isBetween(1900, 2048);
            assertThat(pollFile(id, "/workspace/init.out")).isEqualTo("init-ran\n");
        } finally {
            fx.engine.destroy(id);
        }
    }

    @Test
    void twoSandboxesRunAtOnceAndAreSeparate() throws Exception {
        VmInfo a = fx.create("pair");
        VmInfo b = fx.create("pair");
        try {
            fx.sh(a.id(), "echo a > /workspace/who");
            fx.sh(b.id(), "echo b > /workspace/who");
            assertThat(fx.sh(a.id(), "cat /workspace/who").stdout()).isEqualTo("a\n");
            assertThat(fx.sh(b.id(), "cat /workspace/who").stdout()).isEqualTo("b\n");
            assertThat(fx.engine.list()).extracting(VmInfo::id).contains(a.id(), b.id());
        } finally {
            fx.engine.destroy(a.id());
            fx.engine.destroy(b.id());
        }
    }

    @Test
    void invalidSpecIsRefusedBeforeAnythingIsCreated() {
        assertThatThrownBy(() -> new CreateSpec("Bad Id", null, 1, 512, null, null, null, null, null))
                .isInstanceOf(EngineException.InvalidSpec.class);
        assertThatThrownBy(() -> new CreateSpec("ok", null, 0, 512, null, null, null, null, null))
                .hasMessageContaining("cpus");
        assertThatThrownBy(() -> new CreateSpec("ok", null, 1, 1 << 20, null, null, null, null, null))
                .hasMessageContaining("memory_mb");
        assertThatThrownBy(() -> new CreateSpec("ok", null, 1, 512, 0, null, null, null, null))
                .hasMessageContaining("disk_size_mb");
    }

    @Test
    void diskSmallerThanTheImageIsRefusedAndLeavesNothing() {
        String id = EngineFixture.newId("small");
        assertThatThrownBy(() -> fx.engine.create(new CreateSpec(id, null, 1, 512, 64, null, null, null, null)))
                .isInstanceOf(EngineException.InvalidSpec.class).hasMessageContaining("disk_size_mb 64")
                .hasMessageContaining("image");
        assertThat(fx.sandboxDir(id)).doesNotExist();
        assertThat(fx.engine.list()).extracting(VmInfo::id).doesNotContain(id);
    }

    static String readUntil(Terminal t, String marker) throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!seen.toString(StandardCharsets.UTF_8).contains(marker) && System.nanoTime() < deadline) {
            var event = t.read(Duration.ofSeconds(30));
            if (event.isPresent() && event.get() instanceof Terminal.Event.Output o) {
                seen.writeBytes(o.data());
            } else if (event.isPresent()) {
                throw new AssertionError("terminal ended: " + event.get() + " after " + seen);
            }
        }
        return seen.toString(StandardCharsets.UTF_8);
    }

    private static String pollFile(String id, String path) throws Exception {
        AgentClient agent = fx.engine.agent(id);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            ExecResult r = agent.exec(ExecRequest.of("cat", path));
            if (r.exitCode() == 0) {
                return r.stdout();
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
        }
        throw new AssertionError(path + " never appeared in " + id);
    }
}

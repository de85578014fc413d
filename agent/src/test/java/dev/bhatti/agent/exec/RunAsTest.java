package dev.bhatti.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.agent.AgentSocket;
import dev.bhatti.agent.LoharProcess;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.FrameType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Commands run as the configured user, switched on the spawning thread only (lohar runs as root,
 * as in the guest): a real lohar with {@code --run-as 65534:65534}, the guest's lohar user replaced
 * by nobody, which every host has.
 */
class RunAsTest {
    private static final String NOBODY = "65534";
    private static LoharProcess lohar;
    private static Path workspace;

    @BeforeAll
    static void start() throws Exception {
        workspace = Files.createTempDirectory("lohar-runas-");
        Files.setPosixFilePermissions(workspace, PosixFilePermissions.fromString("rwxrwxrwx"));
        lohar = LoharProcess.start("--run-as", NOBODY + ":" + NOBODY, "--workspace", workspace.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        lohar.close();
        try (Stream<Path> all = Files.walk(workspace)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static AgentSocket.Result run(ExecRequest request) throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            return s.sendJson(FrameType.EXEC_REQ, request).collect();
        }
    }

    private static AgentSocket.Result sh(String user, String script) throws Exception {
        ExecRequest.Builder b = ExecRequest.builder("sh", "-c", script);
        return run(user == null ? b.build() : b.user(user).build());
    }

    @Test
    void aCommandRunsAsTheUserWithItsGroupAsTheOnlyGroup() throws Exception {
        assertThat(sh(null, "id -u; id -g; id -G; id -ru; id -rg"))
                .isEqualTo(new AgentSocket.Result(String.join("\n", NOBODY, NOBODY, NOBODY, NOBODY, NOBODY) + "\n", "", 0));
    }

    @Test
    void theUsersCommandHoldsNoCapabilitiesAndNoSavedRootId() throws Exception {
        AgentSocket.Result r = sh(null, "grep -E '^(Uid|Gid|CapPrm|CapEff):' /proc/self/status");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("Uid:\t65534\t65534\t65534\t65534").contains("Gid:\t65534\t65534\t65534\t65534")
                .contains("CapPrm:\t0000000000000000").contains("CapEff:\t0000000000000000");
    }

    @Test
    void aRootRequestKeepsTheAgentsIdentity() throws Exception {
        assertThat(sh("root", "id -u; id -g").stdout()).isEqualTo("0\n0\n");
    }

    @Test
    void everyAgentThreadIsRootAgainAfterSpawningAsTheUser() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(sh(null, "id -u").stdout()).isEqualTo(NOBODY + "\n");
        }
        List<String> notRoot = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(lohar.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                String uid = Files.readAllLines(task.resolve("status")).stream().filter(l -> l.startsWith("Uid:"))
                        .findFirst().orElse("gone");
                if (!uid.equals("gone") && !uid.equals("Uid:\t0\t0\t0\t0")) {
                    notRoot.add(task.getFileName() + " " + uid);
                }
            }
        }
        assertThat(notRoot).as("lohar threads whose ids were left switched").isEmpty();
    }

    @Test
    void concurrentUserAndRootCommandsEachGetTheirOwnIdentity() throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String user = i % 2 == 0 ? null : "root";
                answers.add(pool.submit(() -> sh(user, "id -u").stdout()));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).get()).as("exec " + i).isEqualTo(i % 2 == 0 ? NOBODY + "\n" : "0\n");
            }
        }
    }

    @Test
    void aWorkingDirectoryOnlyRootMayEnterIsAStartErrorForTheUser() throws Exception {
        Path closed = Files.createDirectory(workspace.resolve("root-only"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(FrameType.EXEC_REQ, ExecRequest.builder("true").cwd("root-only").build());
            assertThat(s.expectError()).startsWith("start: ").contains("permission denied");
        }
        assertThat(run(ExecRequest.builder("pwd").cwd("root-only").user("root").build()).stdout())
                .isEqualTo(closed + "\n");
    }

    @Test
    void aDetachedCommandsOutputFileBelongsToTheUser() throws Exception {
        Path out = workspace.resolve("detached.out");
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(FrameType.EXEC_REQ, ExecRequest.builder("sh", "-c", "id -u").detach(out.toString()).build()).collect();
        }
        assertThat(dev.bhatti.agent.files.Poll.until(java.time.Duration.ofSeconds(10),
                () -> Files.exists(out) && Files.size(out) > 0)).as("the detached command wrote its output").isTrue();
        assertThat(Files.readString(out)).isEqualTo(NOBODY + "\n");
        assertThat(Files.getAttribute(out, "unix:uid")).isEqualTo(65534);
    }

    @Test
    void aTerminalSessionRunsAsTheUserOnATerminalTheUserOwns() throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar).sendJson(FrameType.EXEC_REQ, ExecRequest.builder("sh").tty(24, 80).build())) {
            s.expect(FrameType.SESSION_INFO);
            s.stdin("id -u; stat -c owner-%u $(tty); (exec </dev/tty && echo ctty-$((20+22))); exit\n");
            assertThat(dev.bhatti.agent.tty.SessionProbe.outputUntil(s, "ctty-42"))
                    .contains(NOBODY).contains("owner-" + NOBODY);
        }
    }
}

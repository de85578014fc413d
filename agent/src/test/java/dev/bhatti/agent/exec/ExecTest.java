package dev.bhatti.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.agent.AgentSocket;
import dev.bhatti.agent.LoharProcess;
import dev.bhatti.proto.ActivityInfo;
import dev.bhatti.proto.DetachResult;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.Json;
import dev.bhatti.proto.Payloads;
import dev.bhatti.proto.Wire;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Piped one-shot exec (SPEC §2.3) against a real lohar in test mode. */
class ExecTest {
    private static LoharProcess lohar;

    @BeforeAll
    static void start() throws Exception {
        lohar = LoharProcess.start("--env", "HOME=/from-config", "--env", "CFG_ONLY=c", "--env", "BOTH=config");
    }

    @AfterAll
    static void stop() throws Exception {
        lohar.close();
    }

    static AgentSocket.Result exec(ExecRequest request) throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            return s.sendJson(FrameType.EXEC_REQ, request).collect();
        }
    }

    static AgentSocket.Result sh(String script) throws Exception {
        return exec(ExecRequest.of("sh", "-c", script));
    }

    @Test
    void echoComesBackOnStdoutWithExitZero() throws Exception {
        assertThat(exec(ExecRequest.of("echo", "hello"))).isEqualTo(new AgentSocket.Result("hello\n", "", 0));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 42, 255})
    void exitCodeIsTheChildsStatus(int code) throws Exception {
        assertThat(sh("exit " + code).exitCode()).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 15, 2})
    void deathBySignalIs128PlusSignal(int signal) throws Exception {
        assertThat(sh("kill -" + signal + " $$").exitCode()).isEqualTo(128 + signal);
    }

    @Test
    void stderrIsSeparateFromStdout() throws Exception {
        assertThat(sh("echo out; echo err >&2")).isEqualTo(new AgentSocket.Result("out\n", "err\n", 0));
    }

    @Test
    void missingProgramIsAStartErrorWithoutExit() throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(FrameType.EXEC_REQ, ExecRequest.of("definitely-not-a-program-xyz"));
            assertThat(s.expectError()).startsWith("start: ").contains("definitely-not-a-program-xyz");
            assertThat(s.closedByAgent(AgentSocket.WAIT)).as("no EXIT after a start error").isTrue();
        }
    }

    @Test
    void missingWorkingDirectoryIsAStartError() throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(FrameType.EXEC_REQ, ExecRequest.builder("true").cwd("/no/such/dir").build());
            assertThat(s.expectError()).startsWith("start: ").contains("/no/such/dir");
        }
    }

    @Test
    void environmentMergesDefaultsThenConfigThenRequest() throws Exception {
        ExecRequest r = ExecRequest.builder("sh", "-c", "echo $PATH; echo $TERM $LANG $USER; echo $HOME $CFG_ONLY $BOTH")
                .env(Map.of("BOTH", "request")).build();
        assertThat(exec(r).stdout()).isEqualTo("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
                + "xterm-256color C.UTF-8 lohar\n/from-config c request\n");
    }

    /** "user":"root" changes root's defaults (USER, HOME) under the config env; lohar stays the default. */
    @Test
    void rootRequestGetsRootsDefaultsUnderTheConfigEnv() throws Exception {
        ExecRequest root = ExecRequest.builder("sh", "-c", "echo $USER $HOME").user(ExecRequest.USER_ROOT).build();
        assertThat(exec(root).stdout()).isEqualTo("root /from-config\n");
        ExecRequest lohar = ExecRequest.builder("sh", "-c", "echo $USER").user(ExecRequest.USER_LOHAR).build();
        assertThat(exec(lohar).stdout()).isEqualTo("lohar\n");
    }

    @Test
    void agentsOwnEnvironmentDoesNotLeakIntoChildren() throws Exception {
        assertThat(sh("env").stdout()).doesNotContain("JAVA_HOME=").doesNotContain("MAVEN");
    }

    @Test
    void workingDirectoryDefaultsToWorkspaceAndFollowsTheRequest() throws Exception {
        assertThat(exec(ExecRequest.of("pwd")).stdout().strip()).isEqualTo(lohar.workspace().toRealPath().toString());
        Files.createDirectories(lohar.workspace().resolve("sub"));
        assertThat(exec(ExecRequest.builder("pwd").cwd("sub").build()).stdout().strip()).endsWith("/workspace/sub");
        assertThat(exec(ExecRequest.builder("pwd").cwd("/tmp").build()).stdout().strip()).isEqualTo("/tmp");
    }

    @Test
    void stdinFramesFeedTheChildAndEmptyStdinIsEof() throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(FrameType.EXEC_REQ, ExecRequest.of("cat"));
            s.stdin("line one\n").stdin("line two\n").send(FrameType.STDIN, new byte[0]);
            assertThat(s.collect()).isEqualTo(new AgentSocket.Result("line one\nline two\n", "", 0));
        }
    }

    @Test
    void oneMebibyteOfOutputArrivesCompleteInChunksOfAtMost32KiB() throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(FrameType.EXEC_REQ, ExecRequest.of("head", "-c", "1048576", "/dev/zero"));
            long total = 0;
            for (Frame f = s.next(); !f.is(FrameType.EXIT); f = s.next()) {
                assertThat(f.kind()).contains(FrameType.STDOUT);
                assertThat(f.payload().length).isLessThanOrEqualTo(Wire.CHUNK_SIZE);
                total += f.payload().length;
            }
            assertThat(total).isEqualTo(1 << 20);
        }
    }

    @Test
    void killFrameKillsTheRunningCommand() throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(FrameType.EXEC_REQ, ExecRequest.of("sh", "-c", "echo started; exec sleep 300"));
            assertThat(s.expect(FrameType.STDOUT).text()).isEqualTo("started\n");
            s.send(FrameType.KILL);
            assertThat(Payloads.exit(s.expect(FrameType.EXIT).payload())).isEqualTo(137);
        }
    }

    @Test
    void killFrameKillsTheWholeProcessGroup() throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(FrameType.EXEC_REQ, ExecRequest.of("sh", "-c", "sleep 3600 & echo $!; wait"));
            long grandchild = Long.parseLong(s.expect(FrameType.STDOUT).text().strip());
            s.send(FrameType.KILL);
            s.expect(FrameType.EXIT);
            assertThat(Processes.goneWithin(grandchild, Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void droppedConnectionKillsTheWholeProcessGroup() throws Exception {
        long grandchild;
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(FrameType.EXEC_REQ, ExecRequest.of("sh", "-c", "sleep 3600 & echo $!; wait"));
            grandchild = Long.parseLong(s.expect(FrameType.STDOUT).text().strip());
        }
        assertThat(Processes.goneWithin(grandchild, Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void tenConcurrentExecsAllCompleteWithTheirOwnOutput() throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<AgentSocket.Result>> runs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                runs.add(pool.submit(() -> sh("sleep 0.2; echo run-" + n + "; exit " + n)));
            }
            for (int i = 0; i < 10; i++) {
                assertThat(runs.get(i).get()).isEqualTo(new AgentSocket.Result("run-" + i + "\n", "", i));
            }
        }
    }

    @Test
    void timeoutKillsTheGroupAndAnswersATimeoutError() throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(FrameType.EXEC_REQ, ExecRequest.builder("sh", "-c", "sleep 3600 & echo $!; wait").timeoutSec(1).build());
            long grandchild = Long.parseLong(s.expect(FrameType.STDOUT).text().strip());
            assertThat(s.expectError()).startsWith("timeout: ").contains("1 s");
            assertThat(Processes.goneWithin(grandchild, Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void detachedCommandRunsInTheBackgroundWritingToItsOutputFile() throws Exception {
        Path out = lohar.dir().resolve("detached.log");
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(FrameType.EXEC_REQ, ExecRequest.builder("sh", "-c", "echo from-background; echo err >&2")
                    .detach(out.toString()).build());
            DetachResult result = Json.decode(s.expect(FrameType.STDOUT).payload(), DetachResult.class);
            assertThat(Payloads.exit(s.expect(FrameType.EXIT).payload())).isZero();
            assertThat(result.outputFile()).isEqualTo(out.toString());
            assertThat(result.pid()).isPositive();
        }
        assertThat(Processes.fileContainsWithin(out, "from-background\nerr\n", Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void execRecordsActivity() throws Exception {
        long before = activity().lastActivityUnix();
        Processes.awaitNextSecond(before);
        exec(ExecRequest.of("true"));
        assertThat(activity().lastActivityUnix()).isGreaterThan(before);
    }

    static ActivityInfo activity() throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            return s.send(FrameType.ACTIVITY_REQ).expectJson(FrameType.ACTIVITY_RESP, ActivityInfo.class);
        }
    }

    @Test
    void malformedExecRequestIsAnErrorNamingTheProblem() throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.send(FrameType.EXEC_REQ, "{\"argv\": 12".getBytes());
            assertThat(s.expectError()).startsWith("invalid ExecRequest");
        }
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.send(FrameType.EXEC_REQ, "{\"argv\": []}".getBytes());
            assertThat(s.expectError()).contains("argv must not be empty");
        }
    }
}

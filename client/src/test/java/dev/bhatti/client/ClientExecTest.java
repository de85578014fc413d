package dev.bhatti.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.agent.LoharProcess;
import dev.bhatti.proto.ActivityInfo;
import dev.bhatti.proto.AgentErrorText;
import dev.bhatti.proto.ExecRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Buffered, streaming and interactive exec through the client against a real lohar (SPEC §2.3, §4.2). */
class ClientExecTest {
    private static LoharProcess lohar;
    private static AgentClient client;

    @BeforeAll
    static void start() throws Exception {
        lohar = LoharProcess.start();
        client = Agents.client(lohar);
        client.waitReady(Agents.WAIT);
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        lohar.close();
    }

    private static ExecResult sh(String script) throws IOException {
        return client.exec(ExecRequest.of("sh", "-c", script));
    }

    @Test
    void bufferedExecCapturesStdoutStderrAndExitCode() throws Exception {
        ExecResult r = sh("echo out; echo err >&2; exit 3");
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.truncated()).isFalse();
        assertThat(r.timedOut()).isFalse();
        assertThat(r.startFailed()).isFalse();
    }

    @Test
    void requestEnvironmentAndWorkingDirectoryReachTheChild() throws Exception {
        ExecResult r = client.exec(ExecRequest.builder("sh", "-c", "echo $GREETING; pwd")
                .env(Map.of("GREETING", "namaste")).cwd("/tmp").build());
        assertThat(r.stdout()).isEqualTo("namaste\n/tmp\n");
    }

    @ParameterizedTest
    @CsvSource({"9, 137", "15, 143"})
    void deathBySignalIsReportedAs128PlusSignal(int signal, int expected) throws Exception {
        assertThat(sh("kill -" + signal + " $$").exitCode()).isEqualTo(expected);
    }

    @Test
    void programThatCannotStartIs127WithTheReasonOnStderr() throws Exception {
        ExecResult r = client.exec(ExecRequest.of("no-such-program-bhatti"));
        assertThat(r.exitCode()).isEqualTo(127);
        assertThat(r.startFailed()).isTrue();
        assertThat(r.stderr()).startsWith(AgentErrorText.START.text()).contains("no-such-program-bhatti");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void streamingExecReportsAStartFailureAsAgentException() {
        assertThatThrownBy(() -> client.exec(ExecRequest.builder("true").cwd("/no/such/dir").build(),
                ExecListener.discarding()))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.isStartFailure()).isTrue();
                    assertThat(e.getMessage()).contains("/no/such/dir");
                });
    }

    @Test
    void timeoutIs124AndKeepsTheOutputSoFar() throws Exception {
        long started = System.nanoTime();
        ExecResult r = client.exec(ExecRequest.builder("sh", "-c", "echo before; exec sleep 30").timeoutSec(1).build());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        assertThat(r.exitCode()).isEqualTo(124);
        assertThat(r.timedOut()).isTrue();
        assertThat(r.stdout()).isEqualTo("before\n");
        assertThat(r.stderr()).startsWith(AgentErrorText.TIMEOUT.text());
    }

    @Test
    void outputBeyond10MiBIsDroppedAndMarked() throws Exception {
        ExecResult r = sh("head -c 12582912 /dev/zero; echo done >&2");
        byte[] out = r.stdoutBytes();
        assertThat(r.exitCode()).isZero();
        assertThat(r.truncated()).isTrue();
        assertThat(out.length).isEqualTo(CappedOutput.DEFAULT_CAP + CappedOutput.MARKER.length());
        assertThat(new String(out, out.length - CappedOutput.MARKER.length(), CappedOutput.MARKER.length(),
                StandardCharsets.UTF_8)).isEqualTo("\n[output truncated at 10 MiB]\n");
        assertThat(r.stderr()).as("stderr past the cap is dropped too").isEqualTo(CappedOutput.MARKER);
    }

    @Test
    void theCapCountsStdoutAndStderrTogether() throws Exception {
        ExecResult r = sh("head -c 6291456 /dev/zero; head -c 6291456 /dev/zero >&2");
        int kept = r.stdoutBytes().length + r.stderrBytes().length;
        assertThat(r.truncated()).isTrue();
        assertThat(kept - CappedOutput.MARKER.length()).isEqualTo(CappedOutput.DEFAULT_CAP);
    }

    @Test
    void streamingCallbacksArriveLongBeforeTheExit() throws Exception {
        AtomicLong firstAt = new AtomicLong();
        List<String> chunks = new ArrayList<>();
        long started = System.nanoTime();
        int code = client.exec(ExecRequest.of("sh", "-c", "echo first; sleep 2; echo second"), new ExecListener() {
            @Override
            public void onStdout(byte[] data) {
                firstAt.compareAndSet(0, System.nanoTime());
                chunks.add(new String(data, StandardCharsets.UTF_8));
            }

            @Override
            public void onStderr(byte[] data) {}
        });
        long exitedAt = System.nanoTime();
        assertThat(code).isZero();
        assertThat(String.join("", chunks)).isEqualTo("first\nsecond\n");
        assertThat(Duration.ofNanos(firstAt.get() - started)).as("time to first byte").isLessThan(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(exitedAt - firstAt.get())).as("first byte to exit")
                .isGreaterThan(Duration.ofMillis(1500));
    }

    @Test
    void startExecFeedsStdinAndCollectsTheEcho() throws Exception {
        CappedOutput out = new CappedOutput();
        try (ExecStream cat = client.startExec(ExecRequest.of("cat"), out)) {
            cat.writeStdin("hello ".getBytes(StandardCharsets.UTF_8));
            cat.writeStdin(new byte[100_000]);
            cat.writeStdin("world".getBytes(StandardCharsets.UTF_8));
            cat.closeStdin();
            assertThat(cat.await(Agents.WAIT)).isZero();
        }
        byte[] got = out.stdout();
        assertThat(got).hasSize(6 + 100_000 + 5);
        assertThat(new String(got, 0, 6, StandardCharsets.UTF_8)).isEqualTo("hello ");
        assertThat(new String(got, got.length - 5, 5, StandardCharsets.UTF_8)).isEqualTo("world");
    }

    @Test
    void killThroughTheHandleEndsTheCommandWith137() throws Exception {
        try (ExecStream sleeper = client.startExec(ExecRequest.of("sleep", "30"), ExecListener.discarding())) {
            sleeper.kill();
            assertThat(sleeper.await(Agents.WAIT)).isEqualTo(137);
            assertThat(sleeper.isDone()).isTrue();
        }
    }

    @Test
    void closingTheHandleUnblocksAwait() throws Exception {
        ExecStream sleeper = client.startExec(ExecRequest.of("sleep", "30"), ExecListener.discarding());
        sleeper.close();
        assertThatThrownBy(() -> sleeper.await(Agents.WAIT)).isInstanceOf(IOException.class);
    }

    @Test
    void closingTheClientUnblocksARunningExecAndRefusesNewOnes() throws Exception {
        AgentClient own = Agents.client(lohar);
        java.nio.file.Path marker = lohar.workspace().resolve("running-" + System.nanoTime());
        CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(() -> {
            try {
                return own.exec(ExecRequest.of("sh", "-c", "touch " + marker + "; exec sleep 30"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, Executors.newVirtualThreadPerTaskExecutor());
        Agents.awaitTrue("the exec to be running", () -> java.nio.file.Files.exists(marker));
        own.close();
        assertThatThrownBy(() -> running.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(java.io.UncheckedIOException.class);
        assertThatThrownBy(own::activity).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void fiveConcurrentExecsAllComplete() throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ExecResult>> runs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                runs.add(pool.submit(() -> sh("sleep 0.2; echo run" + n)));
            }
            for (int i = 0; i < 5; i++) {
                assertThat(runs.get(i).get(30, TimeUnit.SECONDS).stdout()).isEqualTo("run" + i + "\n");
            }
        }
    }

    @Test
    void activityIsRecentAfterAnExec() throws Exception {
        sh("true");
        ActivityInfo info = client.activity();
        assertThat(info.lastActivityUnix()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
        assertThat(info.activeSessions()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void execRefusesSessionRequests() {
        assertThatThrownBy(() -> client.exec(ExecRequest.builder("sh").tty().build()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

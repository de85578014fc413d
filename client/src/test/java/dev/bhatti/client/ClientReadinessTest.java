package dev.bhatti.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.agent.LoharProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link AgentClient#waitReady}: quick success against a live agent, bounded failure otherwise. */
class ClientReadinessTest {

    @Test
    void waitReadySucceedsAgainstARunningLohar() throws Exception {
        try (LoharProcess lohar = LoharProcess.start(); AgentClient client = Agents.client(lohar)) {
            long started = System.nanoTime();
            client.waitReady(Agents.WAIT);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(client.activity().activeSessions()).isZero();
        }
    }

    @Test
    void readinessAfterARestoreEndsTheExecsOfEarlierConnections() throws Exception {
        try (LoharProcess lohar = LoharProcess.start(); AgentClient client = Agents.client(lohar)) {
            ExecStream cut = client.startExec(dev.bhatti.proto.ExecRequest.of("sleep", "600"), ExecListener.discarding());
            client.waitReadyAfterRestore(Agents.WAIT);
            assertThatThrownBy(() -> cut.await(Agents.WAIT)).as("the earlier exec's connection is closed by the agent")
                    .isInstanceOf(IOException.class);
            assertThat(client.exec(dev.bhatti.proto.ExecRequest.of("echo", "served")).stdout()).isEqualTo("served\n");
        }
    }

    @Test
    void waitReadyFailsWithinTheDeadlineWhenNobodyListens() throws Exception {
        Path dir = Files.createTempDirectory("no-agent-");
        Path control = dir.resolve("control.sock");
        try (AgentClient client = new AgentClient(Transport.unix(control, dir.resolve("forward.sock")), Optional.empty())) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> client.waitReady(Duration.ofMillis(600)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("unix:" + control)
                    .hasMessageContaining("not ready within PT0.6S");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).isBetween(Duration.ofMillis(550), Duration.ofSeconds(3));
        } finally {
            Files.delete(dir);
        }
    }

    @Test
    void waitReadyGivesUpOnAPeerThatAcceptsButNeverAnswers() throws Exception {
        Path dir = Files.createTempDirectory("mute-agent-");
        Path control = dir.resolve("control.sock");
        try (FakeAgent mute = FakeAgent.unix(control, (in, out) -> {
                in.next();
                in.next();
            });
             AgentClient client = new AgentClient(Transport.unix(control, dir.resolve("forward.sock")), Optional.empty())) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> client.waitReady(Duration.ofMillis(800)))
                    .isInstanceOf(IOException.class).hasMessageContaining("no answer within");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        } finally {
            Files.deleteIfExists(control);
            Files.delete(dir);
        }
    }

    @Test
    void retryPausesStartShortAndAreCappedAt200Millis() {
        assertThat(IntStream.range(0, 9).mapToLong(AgentClient::backoffMillis).toArray())
                .containsExactly(2, 5, 10, 20, 50, 100, 200, 200, 200);
    }
}

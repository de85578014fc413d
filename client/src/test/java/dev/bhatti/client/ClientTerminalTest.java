package dev.bhatti.client;

import static dev.bhatti.client.Agents.readToEnd;
import static dev.bhatti.client.Agents.readUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.agent.LoharProcess;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.SessionInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TTY and piped sessions through {@link Terminal} against a real lohar (SPEC §2.4). */
class ClientTerminalTest {
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

    private static Terminal shell() throws Exception {
        return client.openTerminal(ExecRequest.builder("sh").tty(24, 80).build());
    }

    private static void type(Terminal t, String line) throws Exception {
        t.write(line.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<SessionInfo> session(String id) throws Exception {
        return client.sessions().stream().filter(s -> s.sessionId().equals(id)).findFirst();
    }

    @Test
    void ttySessionRunsTypedCommandsAndIsListed() throws Exception {
        try (Terminal t = shell()) {
            assertThat(t.info().tty()).isTrue();
            assertThat(t.info().running()).isTrue();
            assertThat(t.info().attached()).isTrue();
            type(t, "echo h\"\"i\n");
            assertThat(readUntil(t, "hi\r\n")).contains("hi\r\n");
            assertThat(session(t.sessionId())).get().satisfies(s -> {
                assertThat(s.argv()).isEqualTo("sh");
                assertThat(s.attached()).isTrue();
            });
            client.killSession(t.sessionId());
        }
    }

    @Test
    void resizeChangesTheWindowSizeSttySees() throws Exception {
        try (Terminal t = shell()) {
            t.resize(40, 120);
            type(t, "stty size\n");
            assertThat(readUntil(t, "40 120")).contains("40 120");
            client.killSession(t.sessionId());
        }
    }

    @Test
    void closeDetachesAndReattachReplaysTheScrollback() throws Exception {
        String id;
        try (Terminal t = shell()) {
            id = t.sessionId();
            type(t, "echo scroll-$((40+2))\n");
            readUntil(t, "scroll-42");
        }
        Agents.awaitTrue("session to detach", () -> session(id).map(s -> !s.attached()).orElse(false));
        assertThat(session(id)).get().satisfies(s -> assertThat(s.running()).isTrue());
        try (Terminal again = client.openTerminal(ExecRequest.attach(id).build())) {
            assertThat(again.info().sessionId()).isEqualTo(id);
            assertThat(readUntil(again, "scroll-42")).contains("scroll-42");
            type(again, "echo still-$((1+1))\n");
            readUntil(again, "still-2");
            client.killSession(id);
        }
    }

    @Test
    void secondAttachTakesOverAndTheFirstClientSeesExitZero() throws Exception {
        try (Terminal first = shell(); Terminal second = client.openTerminal(ExecRequest.attach(first.sessionId()).build())) {
            assertThat(readToEnd(first)).contains(0);
            assertThat(first.read()).isInstanceOf(Terminal.Event.Closed.class);
            type(second, "echo taken-$((2+3))\n");
            readUntil(second, "taken-5");
            client.killSession(second.sessionId());
        }
    }

    @Test
    void killSessionEndsTheProcessAndTheAttachedClientSeesIt() throws Exception {
        try (Terminal t = shell()) {
            String id = t.sessionId();
            client.killSession(id);
            assertThat(readToEnd(t)).contains(137);
            Agents.awaitTrue("session removed", () -> session(id).isEmpty());
        }
    }

    @Test
    void killFromTheTerminalSendsSigterm() throws Exception {
        try (Terminal t = client.openTerminal(ExecRequest.builder("sleep", "30").tty().build())) {
            t.kill();
            assertThat(readToEnd(t)).contains(143);
        }
    }

    @Test
    void pipedSessionMergesStderrAndEndsWithTheExitCode() throws Exception {
        try (Terminal t = client.openTerminal(ExecRequest.builder("sh", "-c", "read x; echo got-$x; echo oops >&2; exit 5")
                .session().build())) {
            assertThat(t.info().tty()).isFalse();
            t.write("ping\n".getBytes(StandardCharsets.UTF_8));
            String out = readUntil(t, "oops");
            assertThat(out).contains("got-ping\n");
            assertThat(readToEnd(t)).contains(5);
        }
    }

    @Test
    void pipedSessionWithStderrApartDeliversStderrAsItsOwnEvents() throws Exception {
        try (Terminal t = client.openTerminal(ExecRequest.builder("sh", "-c", "echo to-out; echo to-err >&2; exit 2")
                .session().stderrApart().build())) {
            assertThat(t.info().pid()).isPositive();
            StringBuilder out = new StringBuilder();
            StringBuilder err = new StringBuilder();
            int code = -1;
            for (Terminal.Event e = t.read(); !(e instanceof Terminal.Event.Closed); e = t.read()) {
                switch (e) {
                    case Terminal.Event.Output o -> out.append(new String(o.data(), StandardCharsets.UTF_8));
                    case Terminal.Event.Stderr x -> err.append(new String(x.data(), StandardCharsets.UTF_8));
                    case Terminal.Event.Exit x -> code = x.code();
                    case Terminal.Event.Closed c -> { }
                }
            }
            assertThat(out).hasToString("to-out\n");
            assertThat(err).hasToString("to-err\n");
            assertThat(code).isEqualTo(2);
        }
    }

    @Test
    void attachingToAnUnknownSessionIsAnAgentError() {
        assertThatThrownBy(() -> client.openTerminal(ExecRequest.attach("s999999").build()))
                .isInstanceOf(AgentException.class).hasMessage("session not found");
        assertThatThrownBy(() -> client.killSession("s999999"))
                .isInstanceOf(AgentException.class).hasMessage("session not found");
    }

    @Test
    void closeUnblocksAPendingRead() throws Exception {
        Terminal t = client.openTerminal(ExecRequest.builder("sleep", "30").tty().build());
        var reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return t.read();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        t.close();
        assertThat(reader.get(Agents.WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                .isInstanceOf(Terminal.Event.Closed.class);
        assertThat(t.read(Duration.ofMillis(1))).contains(new Terminal.Event.Closed());
        client.killSession(t.sessionId());
    }
}

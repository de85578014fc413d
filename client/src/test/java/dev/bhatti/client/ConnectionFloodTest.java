package dev.bhatti.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.agent.LoharProcess;
import dev.bhatti.proto.ExecRequest;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connection admission (decision 0012) against a real lohar with a token and the default limits
 * (50 authenticated, 64 pending, 2 s first-frame deadline, 5 s auth deadline): a flood of
 * connections that never authenticate must not starve a client that does.
 */
class ConnectionFloodTest {
    private static final String TOKEN = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    /** Under the old 5 s auth deadline, so a flood connection closed by it shows as a failure. */
    private static final Duration CLOSED_WITHIN = Duration.ofMillis(4_000);

    private LoharProcess lohar;
    private final List<Flood> floods = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final java.util.concurrent.ScheduledExecutorService trickle =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());

    @BeforeEach
    void start() throws Exception {
        lohar = LoharProcess.start("--token", TOKEN);
    }

    @AfterEach
    void stopAll() throws Exception {
        stop.set(true);
        trickle.shutdownNow();
        for (Flood f : floods) {
            f.close();
        }
        lohar.close();
    }

    /** One raw connection that never authenticates; remembers how long the agent took to close it. */
    private final class Flood implements AutoCloseable {
        final SocketChannel channel;
        final long openedNanos = System.nanoTime();
        volatile long closedAfterNanos = -1;

        Flood() throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(lohar.controlSocket()));
            Thread.ofVirtual().start(this::awaitClose);
        }

        private void awaitClose() {
            ByteBuffer sink = ByteBuffer.allocate(256);
            try {
                while (channel.read(sink.clear()) >= 0) {
                    // the agent's ERROR "auth required" before it closes
                }
            } catch (IOException e) {
                // reset by the agent, or closed by the test
            }
            closedAfterNanos = System.nanoTime() - openedNanos;
        }

        /**
         * Sends a frame header announcing a 32-byte AUTH and then one byte every 200 ms (a slow
         * client's pace, on the test's scheduler); a write the agent refused ends the task.
         */
        Flood trickling() {
            byte[] header = {0, 0, 0, 33, 0x01};
            java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
            trickle.scheduleAtFixedRate(() -> {
                int i = sent.getAndIncrement();
                try {
                    channel.write(ByteBuffer.wrap(new byte[] {i < header.length ? header[i] : (byte) 'a'}));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("closed by the agent", e);
                }
            }, 0, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
            return this;
        }

        boolean closedByAgent() {
            return closedAfterNanos >= 0;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** 80 threads that each reconnect as soon as the agent drops them, like the observed attack. */
    private AtomicInteger reconnectingFlood(int threads) {
        AtomicInteger connects = new AtomicInteger();
        for (int i = 0; i < threads; i++) {
            Thread.ofVirtual().start(() -> {
                ByteBuffer sink = ByteBuffer.allocate(256);
                while (!stop.get()) {
                    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                        ch.connect(UnixDomainSocketAddress.of(lohar.controlSocket()));
                        connects.incrementAndGet();
                        while (!stop.get() && ch.read(sink.clear()) >= 0) {
                            // held until the agent closes it
                        }
                    } catch (IOException e) {
                        // dropped by the agent; reconnect
                    }
                }
            });
        }
        return connects;
    }

    private AgentClient client() {
        return Agents.client(lohar, Optional.of(TOKEN));
    }

    @Test
    void authenticatedExecSucceedsWhileHundredsOfUnauthenticatedConnectionsAreHeldOpen() throws Exception {
        for (int i = 0; i < 120; i++) {
            floods.add(new Flood());
        }
        for (int i = 0; i < 20; i++) {
            floods.add(new Flood().trickling());
        }
        AtomicInteger reconnects = reconnectingFlood(80);
        Agents.awaitTrue("the reconnecting flood is connecting", () -> reconnects.get() >= 80);

        try (AgentClient client = client()) {
            for (int i = 0; i < 5; i++) {
                ExecResult result = client.exec(ExecRequest.of("echo", "alice-" + i));
                assertThat(result.stdout()).isEqualTo("alice-" + i + "\n");
                assertThat(result.exitCode()).isZero();
            }
        }

        Agents.awaitTrue("every held flood connection is closed by the agent", () -> floods.stream().allMatch(Flood::closedByAgent));
        assertThat(floods).allSatisfy(f -> assertThat(Duration.ofNanos(f.closedAfterNanos))
                .as("closed after the short first-frame deadline, not the 5 s auth deadline").isLessThan(CLOSED_WITHIN));
        assertThat(lohar.isAlive()).isTrue();
    }

    @Test
    void fiftyAuthenticatedConnectionsAreServedDuringAFloodAndTheFiftyFirstIsRefused() throws Exception {
        for (int i = 0; i < 100; i++) {
            floods.add(new Flood());
        }
        reconnectingFlood(80);
        ConcurrentLinkedQueue<ExecStream> held = new ConcurrentLinkedQueue<>();
        try (AgentClient client = client()) {
            for (int i = 0; i < 50; i++) {
                StringBuilder out = new StringBuilder();
                ExecStream cat = client.startExec(ExecRequest.of("cat"), new ExecListener() {
                    @Override
                    public void onStdout(byte[] data) {
                        synchronized (out) {
                            out.append(new String(data, java.nio.charset.StandardCharsets.UTF_8));
                        }
                    }

                    @Override
                    public void onStderr(byte[] data) {}
                });
                held.add(cat);
                cat.writeStdin("up\n".getBytes());
                Agents.awaitTrue("cat #" + i + " echoes", () -> {
                    synchronized (out) {
                        return out.toString().equals("up\n");
                    }
                });
            }

            assertThatThrownBy(() -> client.exec(ExecRequest.of("echo", "51st")))
                    .isInstanceOf(AgentException.class).hasMessageContaining("connection limit exceeded");

            held.poll().kill();
            Agents.awaitTrue("a freed slot serves the next exec", () -> {
                try {
                    return client.exec(ExecRequest.of("echo", "again")).stdout().equals("again\n");
                } catch (AgentException refused) {
                    return false;
                }
            });
        } finally {
            for (ExecStream s : held) {
                s.close();
            }
        }
    }
}

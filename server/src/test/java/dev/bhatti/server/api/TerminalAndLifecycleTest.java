package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.sdk.Raw;
import dev.bhatti.sdk.UnauthorizedException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The WebSocket terminal (auth, first message, keystrokes, detach and reattach) and the sandbox lifecycle routes. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TerminalAndLifecycleTest {
    private static DaemonFixture fx;
    private static String id;

    @BeforeAll
    static void start() throws Exception {
        fx = new DaemonFixture();
        Raw.Response r = fx.post(fx.adminKey, "/sandboxes", "{\"name\":\"term\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        id = (String) SandboxApiTest.json(r.text()).get("id");
        assertThat(fx.post(fx.adminKey, "/sandboxes", "{\"name\":\"taken\",\"cpus\":1}").status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    /** Collects a socket's messages: text as strings, binary appended to one transcript. */
    static final class Client implements WebSocket.Listener {
        final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final StringBuffer output = new StringBuffer();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public CompletableFuture<?> onText(WebSocket ws, CharSequence data, boolean last) {
            texts.add(data.toString());
            ws.request(1);
            return null;
        }

        @Override
        public CompletableFuture<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            output.append(new String(b, StandardCharsets.UTF_8));
            ws.request(1);
            return null;
        }

        @Override
        public CompletableFuture<?> onClose(WebSocket ws, int status, String reason) {
            closed.complete(status);
            return null;
        }

        String awaitOutput(String marker) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!output.toString().contains(marker) && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
            }
            return output.toString();
        }
    }

    /** The terminal of "term" with {@code query}, and the admin key as a bearer header if {@code bearer}. */
    private static WebSocket open(Client c, String query, boolean bearer) {
        return fx.websocket(bearer ? fx.adminKey : null, "/sandboxes/term/ws" + query, c);
    }

    @Test
    @Order(1)
    void shellByQueryTokenRunsKeystrokesThenReattachReplaysScrollback() throws Exception {
        Client first = new Client();
        WebSocket ws = open(first, "?token=" + fx.adminKey, false);
        Map<String, Object> hello = SandboxApiTest.json(first.texts.poll(60, TimeUnit.SECONDS));
        assertThat(hello).containsEntry("type", "session").containsKey("session_id");
        ws.sendText("{\"type\":\"resize\",\"rows\":40,\"cols\":100}", true).join();
        ws.sendBinary(ByteBuffer.wrap("stty size; echo ws-$((6*7))\n".getBytes()), true).join();
        assertThat(first.awaitOutput("ws-42")).contains("40 100").contains("ws-42");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "detach").join();

        Client second = new Client();
        WebSocket again = open(second, "", true);
        Map<String, Object> hello2 = SandboxApiTest.json(second.texts.poll(60, TimeUnit.SECONDS));
        assertThat(hello2.get("session_id")).isEqualTo(hello.get("session_id"));
        assertThat(second.awaitOutput("ws-42")).contains("ws-42");
        again.sendBinary(ByteBuffer.wrap("exit\n".getBytes()), true).join();
        assertThat(second.closed.get(60, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    @Order(2)
    void aLabelledDetachedSessionIsNeverTheOneTheTerminalReattachesTo() throws Exception {
        dev.bhatti.client.AgentClient agent = fx.daemon.engine().agent(id);
        String labelled;
        try (dev.bhatti.client.Terminal t = agent.openTerminal(dev.bhatti.proto.ExecRequest.builder("/bin/sh").tty()
                .label("e2b {\"cmd\":\"/bin/sh\"}").build())) {
            labelled = t.sessionId();
        }
        Client c = new Client();
        WebSocket ws = open(c, "", true);
        Map<String, Object> hello = SandboxApiTest.json(c.texts.poll(60, TimeUnit.SECONDS));
        assertThat(hello.get("session_id")).as("the E2B layer's PTY stays its own").isNotEqualTo(labelled);
        ws.sendBinary(ByteBuffer.wrap("exit\n".getBytes()), true).join();
        assertThat(c.closed.get(60, TimeUnit.SECONDS)).isEqualTo(1000);
        agent.killSession(labelled);
    }

    @Test
    @Order(3)
    void upgradeWithoutAValidKeyIsRefused() {
        for (String query : new String[] {"", "?token=bht_" + "1".repeat(64)}) {
            assertThatThrownBy(() -> open(new Client(), query, false))
                    .isInstanceOfSatisfying(UnauthorizedException.class, e -> assertThat(e.status()).isEqualTo(401));
        }
    }

    @Test
    @Order(4)
    void stopMakesItColdListDoesNotWakeItExecDoes() throws Exception {
        Raw.Response stopped = fx.post(fx.adminKey, "/sandboxes/term/stop", "");
        assertThat(stopped.status()).as(stopped.text()).isEqualTo(200);
        assertThat(SandboxApiTest.json(stopped.text())).containsEntry("thermal", "cold").containsEntry("status", "stopped");
        assertThat(fx.get(fx.adminKey, "/sandboxes").text()).contains("\"thermal\":\"cold\"");
        assertThat(SandboxApiTest.json(fx.get(fx.adminKey, "/sandboxes/term").text())).containsEntry("thermal", "cold");
        Raw.Response exec = fx.post(fx.adminKey, "/sandboxes/term/exec", "{\"cmd\":[\"echo\",\"woke\"]}");
        assertThat(SandboxApiTest.json(exec.text())).containsEntry("stdout", "woke\n");
        assertThat(SandboxApiTest.json(fx.get(fx.adminKey, "/sandboxes/term").text()))
                .containsEntry("thermal", "hot").containsEntry("status", "running");
    }

    @Test
    @Order(5)
    void renameConflictIs409AndLabelsAndKeepHotAreEdited() throws Exception {
        Raw.Response conflict = fx.patch(fx.adminKey, "/sandboxes/term", "{\"name\":\"taken\"}");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(SandboxApiTest.json(conflict.text())).containsEntry("code", "name_conflict");
        Raw.Response edited = fx.patch(fx.adminKey, "/sandboxes/term",
                "{\"name\":\"term2\",\"labels_add\":{\"a\":\"1\",\"b\":\"2\"},\"labels_remove\":[\"b\"],\"keep_hot\":true}");
        assertThat(edited.status()).as(edited.text()).isEqualTo(200);
        assertThat(SandboxApiTest.json(edited.text())).containsEntry("name", "term2").containsEntry("labels", Map.of("a", "1"))
                .containsEntry("keep_hot", true);
        assertThat(fx.get(fx.adminKey, "/sandboxes/term").status()).isEqualTo(404);
        assertThat(fx.patch(fx.adminKey, "/sandboxes/term2", "{\"name\":\"term\"}").status()).isEqualTo(200);
    }

    @Test
    @Order(6)
    void destroyFreesEverythingAndTheName() throws Exception {
        Raw.Response r = fx.delete(fx.adminKey, "/sandboxes/" + id);
        assertThat(r.status()).isEqualTo(200);
        assertThat(SandboxApiTest.json(r.text())).containsEntry("status", "destroyed");
        assertThat(fx.get(fx.adminKey, "/sandboxes/" + id).status()).isEqualTo(404);
        assertThat(fx.daemon.config().dataDir().resolve("sandboxes").resolve(id)).doesNotExist();
        assertThat(fx.delete(fx.adminKey, "/sandboxes/" + id).status()).isEqualTo(404);
    }
}

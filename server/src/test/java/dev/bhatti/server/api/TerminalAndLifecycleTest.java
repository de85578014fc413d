package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
        HttpResponse<String> r = fx.post(fx.adminKey, "/sandboxes", "{\"name\":\"term\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        id = (String) SandboxApiTest.json(r.body()).get("id");
        assertThat(fx.post(fx.adminKey, "/sandboxes", "{\"name\":\"taken\",\"cpus\":1}").statusCode()).isEqualTo(201);
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

    private static URI wsUri(String query) {
        return URI.create("ws://127.0.0.1:" + fx.daemon.port() + "/sandboxes/term/ws" + query);
    }

    private static WebSocket open(Client c, String query, boolean bearer) {
        WebSocket.Builder b = fx.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30));
        if (bearer) {
            b.header("Authorization", "Bearer " + fx.adminKey);
        }
        return b.buildAsync(wsUri(query), c).join();
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
    void upgradeWithoutAValidKeyIsRefused() {
        for (String query : new String[] {"", "?token=bht_" + "1".repeat(64)}) {
            assertThatThrownBy(() -> open(new Client(), query, false))
                    .isInstanceOf(CompletionException.class).cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));
        }
    }

    @Test
    @Order(3)
    void stopMakesItColdListDoesNotWakeItExecDoes() throws Exception {
        HttpResponse<String> stopped = fx.post(fx.adminKey, "/sandboxes/term/stop", "");
        assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
        assertThat(SandboxApiTest.json(stopped.body())).containsEntry("thermal", "cold").containsEntry("status", "stopped");
        assertThat(fx.get(fx.adminKey, "/sandboxes").body()).contains("\"thermal\":\"cold\"");
        assertThat(SandboxApiTest.json(fx.get(fx.adminKey, "/sandboxes/term").body())).containsEntry("thermal", "cold");
        HttpResponse<String> exec = fx.post(fx.adminKey, "/sandboxes/term/exec", "{\"cmd\":[\"echo\",\"woke\"]}");
        assertThat(SandboxApiTest.json(exec.body())).containsEntry("stdout", "woke\n");
        assertThat(SandboxApiTest.json(fx.get(fx.adminKey, "/sandboxes/term").body()))
                .containsEntry("thermal", "hot").containsEntry("status", "running");
    }

    @Test
    @Order(4)
    void renameConflictIs409AndLabelsAndKeepHotAreEdited() throws Exception {
        HttpResponse<String> conflict = fx.patch(fx.adminKey, "/sandboxes/term", "{\"name\":\"taken\"}");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(SandboxApiTest.json(conflict.body())).containsEntry("code", "name_conflict");
        HttpResponse<String> edited = fx.patch(fx.adminKey, "/sandboxes/term",
                "{\"name\":\"term2\",\"labels_add\":{\"a\":\"1\",\"b\":\"2\"},\"labels_remove\":[\"b\"],\"keep_hot\":true}");
        assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
        assertThat(SandboxApiTest.json(edited.body())).containsEntry("name", "term2").containsEntry("labels", Map.of("a", "1"))
                .containsEntry("keep_hot", true);
        assertThat(fx.get(fx.adminKey, "/sandboxes/term").statusCode()).isEqualTo(404);
        assertThat(fx.patch(fx.adminKey, "/sandboxes/term2", "{\"name\":\"term\"}").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void destroyFreesEverythingAndTheName() throws Exception {
        HttpResponse<String> r = fx.delete(fx.adminKey, "/sandboxes/" + id);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(SandboxApiTest.json(r.body())).containsEntry("status", "destroyed");
        assertThat(fx.get(fx.adminKey, "/sandboxes/" + id).statusCode()).isEqualTo(404);
        assertThat(fx.daemon.config().dataDir().resolve("sandboxes").resolve(id)).doesNotExist();
        assertThat(fx.delete(fx.adminKey, "/sandboxes/" + id).statusCode()).isEqualTo(404);
    }
}

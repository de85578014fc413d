package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bhatti.server.store.Limits;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * The reverse proxy and publish routes on the real daemon with a real VM: a Python upstream in
 * the guest serves HTTP, server-sent events and a WebSocket echo; public preview by path (no zone).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyAndPublishTest {
    static final int PORT = 8000;
    private static DaemonFixture fx;
    private static String bobKey;

    @BeforeAll
    static void start() throws Exception {
        fx = new DaemonFixture();
        bobKey = fx.newUser("bob", Limits.DEFAULT);
        assertThat(fx.post(fx.adminKey, "/sandboxes", "{\"name\":\"web\"}").statusCode()).isEqualTo(201);
        startUpstream(fx, "web");
    }

    /** Uploads upstream.py into the sandbox, starts it on {@link #PORT} and waits until it answers through the proxy. */
    static void startUpstream(DaemonFixture fx, String sandbox) throws Exception {
        byte[] script;
        try (InputStream in = ProxyAndPublishTest.class.getResourceAsStream("/upstream.py")) {
            script = in.readAllBytes();
        }
        HttpResponse<String> put = fx.send(fx.request(fx.adminKey, "/sandboxes/" + sandbox + "/files?path=/workspace/upstream.py")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(script)));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        HttpResponse<String> started = fx.post(fx.adminKey, "/sandboxes/" + sandbox + "/exec",
                "{\"cmd\":[\"python3\",\"/workspace/upstream.py\",\"" + PORT + "\"],\"detach\":true}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int status = 0;
        while (status != 200 && System.nanoTime() < deadline) {
            status = fx.get(fx.adminKey, "/sandboxes/" + sandbox + "/proxy/" + PORT + "/echo").statusCode();
            if (status != 200) {
                LockSupport.parkNanos(200_000_000);
            }
        }
        assertThat(status).as("the upstream answers through the proxy").isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    static Map<String, Object> json(String body) throws Exception {
        return SandboxApiTest.json(body);
    }

    @Test
    @Order(1)
    void httpGetGoesThroughWithForwardedHeadersAndWithoutTheApiKey() throws Exception {
        HttpResponse<String> r = fx.send(fx.request(fx.adminKey, "/sandboxes/web/proxy/" + PORT + "/echo/a?x=1")
                .header("X-Custom", "kept").GET());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Upstream")).hasValue("python");
        Map<String, Object> echo = json(r.body());
        assertThat(echo.get("path")).isEqualTo("/echo/a?x=1");
        @SuppressWarnings("unchecked")
        Map<String, Object> headers = (Map<String, Object>) echo.get("headers");
        assertThat(headers).containsEntry("x-custom", "kept").containsEntry("x-forwarded-for", "127.0.0.1")
                .containsEntry("x-forwarded-proto", "http").containsEntry("x-forwarded-host", "127.0.0.1:" + fx.daemon.port())
                .containsEntry("host", "localhost:" + PORT).doesNotContainKey("authorization");
    }

    @Test
    @Order(2)
    void upstream404PassesThrough() throws Exception {
        HttpResponse<String> r = fx.get(fx.adminKey, "/sandboxes/web/proxy/" + PORT + "/missing");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("no such page");
    }

    @Test
    @Order(3)
    void badPortsUnknownSandboxesAndDeadPortsAreClearErrors() throws Exception {
        for (String bad : List.of("0", "70000", "web")) {
            HttpResponse<String> r = fx.get(fx.adminKey, "/sandboxes/web/proxy/" + bad + "/");
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.body()).contains("invalid_port");
        }
        assertThat(fx.get(fx.adminKey, "/sandboxes/nope/proxy/" + PORT + "/").statusCode()).isEqualTo(404);
        assertThat(fx.get(bobKey, "/sandboxes/web/proxy/" + PORT + "/echo").statusCode()).as("another user's sandbox").isEqualTo(404);
        assertThat(fx.get(null, "/sandboxes/web/proxy/" + PORT + "/echo").statusCode()).isEqualTo(401);
        HttpResponse<String> dead = fx.get(fx.adminKey, "/sandboxes/web/proxy/9/");
        assertThat(dead.statusCode()).isEqualTo(502);
        assertThat(dead.body()).contains("port 9");
    }

    @Test
    @Order(4)
    void serverSentEventsArriveAsTheyAreSent() throws Exception {
        HttpResponse<InputStream> r = fx.http.send(fx.request(fx.adminKey, "/sandboxes/web/proxy/" + PORT + "/sse").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        List<Long> arrivals = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data: ")) {
                    arrivals.add(System.nanoTime());
                    assertThat(line).isEqualTo("data: event " + (arrivals.size() - 1));
                }
            }
        }
        assertThat(arrivals).hasSize(3);
        // The upstream sends them 0.5 s apart; a proxy that buffered would deliver all three at once.
        assertThat(Duration.ofNanos(arrivals.get(2) - arrivals.get(0))).isGreaterThan(Duration.ofMillis(600));
    }

    @Test
    @Order(5)
    void aWebSocketIsRelayedBothWaysWithTheTokenInTheQuery() throws Exception {
        BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        WebSocket ws = fx.http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + fx.daemon.port()
                + "/sandboxes/web/proxy/" + PORT + "/ws?token=" + fx.adminKey), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        texts.add(data.toString());
                        w.request(1);
                        return null;
                    }
                }).get(60, TimeUnit.SECONDS);
        for (String m : List.of("one", "two")) {
            ws.sendText(m, true).get(10, TimeUnit.SECONDS);
            assertThat(texts.poll(30, TimeUnit.SECONDS)).isEqualTo("echo: " + m);
        }
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        CompletableFuture<WebSocket> refused = fx.http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:"
                + fx.daemon.port() + "/sandboxes/web/proxy/" + PORT + "/ws?token=" + bobKey), new WebSocket.Listener() {});
        assertThat(refused).failsWithin(Duration.ofSeconds(30)).withThrowableThat().havingRootCause().withMessageContaining("404");
    }

    @Test
    @Order(6)
    void publishValidatesAliasesAndIsIdempotentPerPort() throws Exception {
        for (String bad : List.of("Bad_Alias", "www", "-lead", "a".repeat(64))) {
            HttpResponse<String> r = fx.post(fx.adminKey, "/sandboxes/web/publish", "{\"port\":" + PORT + ",\"alias\":\"" + bad + "\"}");
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.body()).contains("invalid_alias");
        }
        assertThat(fx.post(fx.adminKey, "/sandboxes/web/publish", "{}").body()).contains("invalid_port");
        HttpResponse<String> created = fx.post(fx.adminKey, "/sandboxes/web/publish", "{\"port\":" + PORT + ",\"alias\":\"web-preview\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Map<String, Object> rule = json(created.body());
        assertThat(rule).containsEntry("alias", "web-preview").containsEntry("port", PORT)
                .containsEntry("url", "http://127.0.0.1:" + fx.daemon.port() + "/p/web-preview/");
        assertThat((String) rule.get("id")).startsWith("pub_");
        HttpResponse<String> again = fx.post(fx.adminKey, "/sandboxes/web/publish", "{\"port\":" + PORT + "}");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("X-Bhatti-Existing")).hasValue("true");
        assertThat(json(again.body())).containsEntry("id", rule.get("id"));
        HttpResponse<String> taken = fx.post(fx.adminKey, "/sandboxes/web/publish", "{\"port\":8001,\"alias\":\"web-preview\"}");
        assertThat(taken.statusCode()).isEqualTo(409);
        HttpResponse<String> auto = fx.post(fx.adminKey, "/sandboxes/web/publish", "{\"port\":8001}");
        assertThat(auto.statusCode()).isEqualTo(201);
        assertThat((String) json(auto.body()).get("alias")).matches("web-[0-9a-f]{6}");
        assertThat(fx.get(fx.adminKey, "/sandboxes/web/publish").body()).contains("web-preview").contains("\"port\":8001");
        assertThat(fx.get(bobKey, "/sandboxes/web/publish").statusCode()).as("another user's rules").isEqualTo(404);
    }

    @Test
    @Order(7)
    void publicTrafficNeedsNoKeyAndUnknownAliasesAre404() throws Exception {
        HttpResponse<String> r = fx.send(fx.request(null, "/p/web-preview/echo?q=2").GET());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r.body()).get("path")).isEqualTo("/echo?q=2");
        HttpResponse<String> unknown = fx.send(fx.request(null, "/p/nobody-here/").GET());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("alias_not_found");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), fx.daemon.port())) {
            s.getOutputStream().write(("POST /p/web-preview/echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + (60L << 20)
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(status).as("a body over 50 MiB").contains(" 413");
        }
    }

    @Test
    @Order(8)
    void fiftyPublicRequestsToAColdSandboxShareOneRestore() throws Exception {
        assertThat(fx.post(fx.adminKey, "/sandboxes/web/stop", "").statusCode()).isEqualTo(200);
        assertThat(json(fx.get(fx.adminKey, "/sandboxes/web").body())).containsEntry("thermal", "cold");
        ListAppender<ILoggingEvent> vmmStarts = capture("dev.bhatti.engine.qemu.Vmm");
        ListAppender<ILoggingEvent> wakes = capture(Wakes.class.getName());
        try {
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                all.add(fx.http.sendAsync(fx.request(null, "/p/web-preview/echo?i=" + i).GET().build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : all) {
                HttpResponse<String> r = f.get(5, TimeUnit.MINUTES);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
            assertThat(messages(vmmStarts, "event=vmm_started")).as("QEMU processes started").isEqualTo(1);
            assertThat(messages(wakes, "event=preview_wake")).as("wakes performed").isEqualTo(1);
        } finally {
            release("dev.bhatti.engine.qemu.Vmm", vmmStarts);
            release(Wakes.class.getName(), wakes);
        }
        assertThat(json(fx.get(fx.adminKey, "/sandboxes/web").body())).containsEntry("thermal", "hot");
    }

    @Test
    @Order(9)
    void unpublishStopsTheUrlAtOnceAndRulesGoWithTheirSandbox() throws Exception {
        HttpResponse<String> deleted = fx.delete(fx.adminKey, "/sandboxes/web/publish/" + PORT);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(fx.send(fx.request(null, "/p/web-preview/echo").GET()).statusCode()).isEqualTo(404);
        assertThat(fx.delete(fx.adminKey, "/sandboxes/web/publish/" + PORT).statusCode()).isEqualTo(404);
        String autoAlias = (String) SandboxApiTest.jsonList(fx.get(fx.adminKey, "/sandboxes/web/publish").body()).getFirst().get("alias");
        assertThat(fx.delete(fx.adminKey, "/sandboxes/web").statusCode()).isEqualTo(200);
        assertThat(fx.send(fx.request(null, "/p/" + autoAlias + "/").GET()).statusCode()).isEqualTo(404);
    }

    private static ListAppender<ILoggingEvent> capture(String logger) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(logger)).addAppender(appender);
        return appender;
    }

    private static void release(String logger, ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(logger)).detachAppender(appender);
    }

    private static long messages(ListAppender<ILoggingEvent> appender, String prefix) {
        synchronized (appender.list) {
            return appender.list.stream().filter(e -> e.getFormattedMessage().startsWith(prefix)).count();
        }
    }
}

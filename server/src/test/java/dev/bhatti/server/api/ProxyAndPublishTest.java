package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bhatti.sdk.NotFoundException;
import dev.bhatti.sdk.Raw;
import dev.bhatti.server.store.Limits;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
        assertThat(fx.post(fx.adminKey, "/sandboxes", "{\"name\":\"web\"}").status()).isEqualTo(201);
        startUpstream(fx, "web");
    }

    /** Uploads upstream.py into the sandbox, starts it on {@link #PORT} and waits until it answers through the proxy. */
    static void startUpstream(DaemonFixture fx, String sandbox) throws Exception {
        byte[] script;
        try (InputStream in = ProxyAndPublishTest.class.getResourceAsStream("/upstream.py")) {
            script = in.readAllBytes();
        }
        Raw.Response put = fx.send(fx.adminKey, "PUT", "/sandboxes/" + sandbox + "/files?path=/workspace/upstream.py",
                Map.of(), script);
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        Raw.Response started = fx.post(fx.adminKey, "/sandboxes/" + sandbox + "/exec",
                "{\"cmd\":[\"python3\",\"/workspace/upstream.py\",\"" + PORT + "\"],\"detach\":true}");
        assertThat(started.status()).as(started.text()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int status = 0;
        while (status != 200 && System.nanoTime() < deadline) {
            status = fx.get(fx.adminKey, "/sandboxes/" + sandbox + "/proxy/" + PORT + "/echo").status();
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
        Raw.Response r = fx.send(fx.adminKey, "GET", "/sandboxes/web/proxy/" + PORT + "/echo/a?x=1",
                Map.of("X-Custom", "kept"), null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("X-Upstream")).hasValue("python");
        Map<String, Object> echo = json(r.text());
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
        Raw.Response r = fx.get(fx.adminKey, "/sandboxes/web/proxy/" + PORT + "/missing");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.text()).isEqualTo("no such page");
    }

    @Test
    @Order(3)
    void badPortsUnknownSandboxesAndDeadPortsAreClearErrors() throws Exception {
        for (String bad : List.of("0", "70000", "web")) {
            Raw.Response r = fx.get(fx.adminKey, "/sandboxes/web/proxy/" + bad + "/");
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.text()).contains("invalid_port");
        }
        assertThat(fx.get(fx.adminKey, "/sandboxes/nope/proxy/" + PORT + "/").status()).isEqualTo(404);
        assertThat(fx.get(bobKey, "/sandboxes/web/proxy/" + PORT + "/echo").status()).as("another user's sandbox").isEqualTo(404);
        assertThat(fx.get(null, "/sandboxes/web/proxy/" + PORT + "/echo").status()).isEqualTo(401);
        Raw.Response dead = fx.get(fx.adminKey, "/sandboxes/web/proxy/9/");
        assertThat(dead.status()).isEqualTo(502);
        assertThat(dead.text()).contains("port 9");
    }

    @Test
    @Order(4)
    void serverSentEventsArriveAsTheyAreSent() throws Exception {
        List<Long> arrivals = new ArrayList<>();
        try (Raw.Streamed r = fx.raw(fx.adminKey).open("GET", "/sandboxes/web/proxy/" + PORT + "/sse", Map.of(), null);
             BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
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
        WebSocket ws = fx.websocket(null, "/sandboxes/web/proxy/" + PORT + "/ws?token=" + fx.adminKey,
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        texts.add(data.toString());
                        w.request(1);
                        return null;
                    }
                });
        for (String m : List.of("one", "two")) {
            ws.sendText(m, true).get(10, TimeUnit.SECONDS);
            assertThat(texts.poll(30, TimeUnit.SECONDS)).isEqualTo("echo: " + m);
        }
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> fx.websocket(null, "/sandboxes/web/proxy/" + PORT + "/ws?token=" + bobKey,
                new WebSocket.Listener() {})).as("another user's sandbox")
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    @Order(6)
    void publishValidatesAliasesAndIsIdempotentPerPort() throws Exception {
        for (String bad : List.of("Bad_Alias", "www", "-lead", "a".repeat(64))) {
            Raw.Response r = fx.post(fx.adminKey, "/sandboxes/web/publish", "{\"port\":" + PORT + ",\"alias\":\"" + bad + "\"}");
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.text()).contains("invalid_alias");
        }
        assertThat(fx.post(fx.adminKey, "/sandboxes/web/publish", "{}").text()).contains("invalid_port");
        Raw.Response created = fx.post(fx.adminKey, "/sandboxes/web/publish", "{\"port\":" + PORT + ",\"alias\":\"web-preview\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        Map<String, Object> rule = json(created.text());
        assertThat(rule).containsEntry("alias", "web-preview").containsEntry("port", PORT)
                .containsEntry("url", "http://127.0.0.1:" + fx.daemon.port() + "/p/web-preview/");
        assertThat((String) rule.get("id")).startsWith("pub_");
        Raw.Response again = fx.post(fx.adminKey, "/sandboxes/web/publish", "{\"port\":" + PORT + "}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("X-Bhatti-Existing")).hasValue("true");
        assertThat(json(again.text())).containsEntry("id", rule.get("id"));
        Raw.Response taken = fx.post(fx.adminKey, "/sandboxes/web/publish", "{\"port\":8001,\"alias\":\"web-preview\"}");
        assertThat(taken.status()).isEqualTo(409);
        Raw.Response auto = fx.post(fx.adminKey, "/sandboxes/web/publish", "{\"port\":8001}");
        assertThat(auto.status()).isEqualTo(201);
        assertThat((String) json(auto.text()).get("alias")).matches("web-[0-9a-f]{6}");
        assertThat(fx.get(fx.adminKey, "/sandboxes/web/publish").text()).contains("web-preview").contains("\"port\":8001");
        assertThat(fx.get(bobKey, "/sandboxes/web/publish").status()).as("another user's rules").isEqualTo(404);
    }

    @Test
    @Order(7)
    void publicTrafficNeedsNoKeyAndUnknownAliasesAre404() throws Exception {
        Raw.Response r = fx.get(null, "/p/web-preview/echo?q=2");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(json(r.text()).get("path")).isEqualTo("/echo?q=2");
        Raw.Response unknown = fx.get(null, "/p/nobody-here/");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text()).contains("alias_not_found");
        Raw.Response tooLarge = fx.send(null, "POST", "/p/web-preview/echo",
                Map.of("Content-Length", Long.toString(60L << 20)), null); // announced, never sent
        assertThat(tooLarge.status()).as("a body over 50 MiB").isEqualTo(413);
    }

    @Test
    @Order(8)
    void fiftyPublicRequestsToAColdSandboxShareOneRestore() throws Exception {
        assertThat(fx.post(fx.adminKey, "/sandboxes/web/stop", "").status()).isEqualTo(200);
        assertThat(json(fx.get(fx.adminKey, "/sandboxes/web").text())).containsEntry("thermal", "cold");
        ListAppender<ILoggingEvent> vmmStarts = capture("dev.bhatti.engine.qemu.Vmm");
        ListAppender<ILoggingEvent> wakes = capture(Wakes.class.getName());
        try {
            List<Future<Raw.Response>> all = new ArrayList<>();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 50; i++) {
                    String path = "/p/web-preview/echo?i=" + i;
                    all.add(clients.submit(() -> fx.get(null, path)));
                }
                for (Future<Raw.Response> f : all) {
                    Raw.Response r = f.get(5, TimeUnit.MINUTES);
                    assertThat(r.status()).as(r.text()).isEqualTo(200);
                }
            }
            assertThat(messages(vmmStarts, "event=vmm_started")).as("QEMU processes started").isEqualTo(1);
            assertThat(messages(wakes, "event=preview_wake")).as("wakes performed").isEqualTo(1);
        } finally {
            release("dev.bhatti.engine.qemu.Vmm", vmmStarts);
            release(Wakes.class.getName(), wakes);
        }
        assertThat(json(fx.get(fx.adminKey, "/sandboxes/web").text())).containsEntry("thermal", "hot");
        var events = EventsSeen.until(fx.client(fx.adminKey), "web", e -> e.type().equals("woke"), java.time.Duration.ofSeconds(30));
        assertThat(events.getLast()).extracting("type", "cause", "from").containsExactly("woke", "public_preview", "cold");
        var metrics = PrometheusText.parse(fx.get(fx.adminKey, "/metrics").text());
        assertThat(metrics.value("bhatti_public_preview_wakes_total", Map.of())).as("one wake for fifty requests").isEqualTo(1);
    }

    @Test
    @Order(9)
    void unpublishStopsTheUrlAtOnceAndRulesGoWithTheirSandbox() throws Exception {
        Raw.Response deleted = fx.delete(fx.adminKey, "/sandboxes/web/publish/" + PORT);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(fx.get(null, "/p/web-preview/echo").status()).isEqualTo(404);
        assertThat(fx.delete(fx.adminKey, "/sandboxes/web/publish/" + PORT).status()).isEqualTo(404);
        String autoAlias = (String) SandboxApiTest.jsonList(fx.get(fx.adminKey, "/sandboxes/web/publish").text()).getFirst().get("alias");
        assertThat(fx.delete(fx.adminKey, "/sandboxes/web").status()).isEqualTo(200);
        assertThat(fx.get(null, "/p/" + autoAlias + "/").status()).isEqualTo(404);
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

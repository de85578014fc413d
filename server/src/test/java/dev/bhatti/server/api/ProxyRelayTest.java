package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.proto.Json;
import dev.bhatti.sdk.Bhatti;
import dev.bhatti.sdk.Raw;
import dev.bhatti.sdk.UpstreamException;
import dev.bhatti.server.proxy.ProxyRequest;
import dev.bhatti.server.proxy.Tunnel;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay logic of the reverse proxy (HTTP, streaming, WebSocket) between a real Javalin front
 * and a real upstream on loopback; the tunnel is a plain TCP connection instead of the agent's
 * forward. The same front code serves the daemon's proxy routes (ProxyAndPublishTest covers those
 * on a real VM).
 */
class ProxyRelayTest {
    private static final Tunnel LOOPBACK = port -> SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    private static final java.util.List<String> PATHS = java.util.List.of("/x/{port}", "/x/{port}/<rest>");
    private static final CountDownLatch SECOND_EVENT = new CountDownLatch(1);
    private static final AtomicInteger HOLDS_OPEN = new AtomicInteger();

    private static Javalin upstream;
    private static Javalin front;

    @BeforeAll
    static void start() {
        upstream = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.host = "127.0.0.1";
            c.jetty.port = 0;
            c.routes.get("/echo/<rest>", ctx -> ctx.json(Map.of("path", ctx.req().getRequestURI(),
                    "query", String.valueOf(ctx.queryString()), "headers", ctx.headerMap())));
            c.routes.post("/echo/<rest>", ctx -> ctx.result(ctx.bodyAsBytes()));
            c.routes.get("/missing", ctx -> ctx.status(404).header("X-Upstream", "yes").result("no such page"));
            c.routes.get("/sse", ctx -> {
                ctx.contentType("text/event-stream");
                var out = ctx.res().getOutputStream();
                out.write("data: one\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (!SECOND_EVENT.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the client never saw the first event");
                }
                out.write("data: two\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            });
            c.routes.ws("/ws", ws -> {
                ws.onConnect(w -> w.session.setMaxBinaryMessageSize(1 << 20));
                ws.onMessage(m -> m.send("echo: " + m.message()));
                ws.onBinaryMessage(m -> m.send(m.data()));
            });
        }).start();
        Proxy proxy = new Proxy();
        ErrorResponses errors = new ErrorResponses();
        front = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.host = "127.0.0.1";
            c.jetty.port = 0;
            c.concurrency.useVirtualThreads = true;
            for (String path : PATHS) {
                for (HandlerType m : ProxyRoutes.METHODS) {
                    c.routes.addHttpHandler(m, path, ctx -> Proxy.http(ctx, "sb-test", LOOPBACK, Proxy.port(ctx.pathParam("port")),
                            ProxyRequest.of(ctx.req(), ProxyRequest.target(ctx.req(), 2), true), 1 << 20, Duration.ofSeconds(30)));
                }
                c.routes.wsBeforeUpgrade(path, ctx -> {
                    HOLDS_OPEN.incrementAndGet();
                    Proxy.prepareWs(ctx, "sb-test", Proxy.port(ctx.pathParam("port")), ProxyRequest.target(ctx.req(), 2), true,
                            LOOPBACK, HOLDS_OPEN::decrementAndGet);
                });
                proxy.register(c.routes, path);
            }
            c.routes.exception(ApiException.class, errors::answer);
        }).start();
    }

    @AfterAll
    static void stop() {
        front.stop();
        upstream.stop();
    }

    /** The front through the SDK's plain HTTP, without a key of its own. */
    private static Raw front() {
        return Bhatti.connect("http://127.0.0.1:" + front.port(), null).raw();
    }

    /** A path through the front to the upstream. */
    private static String upstream(String pathAndQuery) {
        return "/x/" + upstream.port() + pathAndQuery;
    }

    private static Raw.Response get(String pathAndQuery) {
        return front().send("GET", upstream(pathAndQuery), Map.of("Authorization", "Bearer bht_secret", "X-Custom", "kept"),
                null);
    }

    private static Raw.Response post(String path, Map<String, String> headers, byte[] body) {
        return front().send("POST", upstream(path), headers, body);
    }

    /** {@code body} in the chunked transfer coding, in chunks of 64 KiB. */
    private static byte[] chunked(byte[] body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int at = 0; at < body.length; at += 65536) {
            int n = Math.min(65536, body.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void getPassesPathQueryAndHeadersAndAddsForwardedHeadersButNotTheApiKey() throws Exception {
        Raw.Response r = get("/echo/a%20b/c?q=1&token=bht_secret&z=2");
        assertThat(r.status()).isEqualTo(200);
        Map<?, ?> echo = Json.mapper().readValue(r.text(), Map.class);
        assertThat(echo.get("path")).isEqualTo("/echo/a%20b/c");
        assertThat(echo.get("query")).isEqualTo("q=1&z=2");
        Map<?, ?> headers = (Map<?, ?>) echo.get("headers");
        assertThat(headers.get("X-Custom")).isEqualTo("kept");
        assertThat(headers.get("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(headers.get("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(headers.get("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + front.port());
        assertThat(headers.get("Host")).isEqualTo("localhost:" + upstream.port());
        assertThat(headers.containsKey("Authorization")).isFalse();
    }

    @Test
    void upstreamStatusBodyAndHeadersPassThrough() throws Exception {
        Raw.Response r = get("/missing");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.text()).isEqualTo("no such page");
        assertThat(r.header("X-Upstream")).hasValue("yes");
    }

    @Test
    void requestBodiesGoUpWithAFixedLengthAndChunked() throws Exception {
        byte[] body = new byte[300_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        assertThat(post("/echo/up", Map.of(), body).body()).isEqualTo(body);
        assertThat(post("/echo/up", Map.of("Transfer-Encoding", "chunked"), chunked(body)).body()).isEqualTo(body);
    }

    @Test
    void aBodyOverTheCapIs413() throws Exception {
        Raw.Response r = post("/echo/up", Map.of(), new byte[(1 << 20) + 1]);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.text()).contains("larger than 1 MiB");
    }

    @Test
    void serverSentEventsArriveOneByOne() throws Exception {
        try (Raw.Streamed r = front().open("GET", upstream("/sse"), Map.of(), null);
             BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(r.headers().get("content-type")).startsWith("text/event-stream");
            // The upstream sends the second event only after this saw the first: a buffering proxy hangs here.
            assertThat(lines.readLine()).isEqualTo("data: one");
            SECOND_EVENT.countDown();
            assertThat(lines.readLine()).isEmpty();
            assertThat(lines.readLine()).isEqualTo("data: two");
        }
    }

    @Test
    void nothingListeningIs502AndABadPortIs400() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Raw.Response r = front().send("GET", "/x/" + closed + "/", Map.of(), null);
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.text()).contains("upstream_unreachable").contains("port " + closed);
        for (String bad : new String[] {"0", "65536", "http"}) {
            Raw.Response b = front().send("GET", "/x/" + bad + "/", Map.of(), null);
            assertThat(b.status()).as(bad).isEqualTo(400);
            assertThat(b.text()).contains("invalid_port");
        }
    }

    @Test
    void anUpstreamThatHangsUpWithoutAnAnswerIs502() throws Exception {
        try (ServerSocket rude = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofVirtual().start(() -> {
                try (Socket s = rude.accept()) {
                    s.getInputStream().read(new byte[1024]);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Raw.Response r = front().send("GET", "/x/" + rude.getLocalPort() + "/", Map.of(), null);
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.text()).contains("upstream_failed").contains("closed the connection");
            t.join(Duration.ofSeconds(10));
        }
    }

    @Test
    void webSocketMessagesAreRelayedBothWaysAndTheHoldEndsWithTheSocket() throws Exception {
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        WebSocket ws = front().websocket(upstream("/ws?token=bht_secret"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        received.add(data.toString());
                        w.request(1);
                        return null;
                    }

                    private final java.io.ByteArrayOutputStream parts = new java.io.ByteArrayOutputStream();

                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                        byte[] b = new byte[data.remaining()];
                        data.get(b);
                        parts.writeBytes(b);
                        if (last) {
                            received.add(parts.toByteArray());
                            parts.reset();
                        }
                        w.request(1);
                        return null;
                    }
                });
        assertThat(HOLDS_OPEN.get()).isEqualTo(1);
        ws.sendText("hello", true).get(10, TimeUnit.SECONDS);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("echo: hello");
        byte[] big = new byte[200_000];
        big[199_999] = 7;
        ws.sendBinary(ByteBuffer.wrap(big), true).get(10, TimeUnit.SECONDS);
        byte[] echoed = (byte[]) received.poll(10, TimeUnit.SECONDS);
        assertThat(java.util.Arrays.equals(echoed, big)).as("200 kB binary message echoed intact").isTrue();
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (HOLDS_OPEN.get() != 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
        assertThat(HOLDS_OPEN.get()).as("the sandbox hold is released when the socket closes").isZero();
    }

    @Test
    void aWebSocketToAPortWithNothingListeningIsRefusedWith502() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThatThrownBy(() -> front().websocket("/x/" + closed + "/ws", new WebSocket.Listener() {}))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.status()).isEqualTo(502));
    }
}

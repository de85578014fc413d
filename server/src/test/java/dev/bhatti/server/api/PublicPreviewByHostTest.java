package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Public preview by Host ({@code <alias>.<zone>}) on a daemon with a proxy zone, on a real VM. */
class PublicPreviewByHostTest {
    private static final String ZONE = "preview.test";
    private static DaemonFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new DaemonFixture(c -> c.withProxyZone(ZONE));
        assertThat(fx.post(fx.adminKey, "/sandboxes", "{\"name\":\"site\"}").statusCode()).isEqualTo(201);
        ProxyAndPublishTest.startUpstream(fx, "site");
        HttpResponse<String> published = fx.post(fx.adminKey, "/sandboxes/site/publish",
                "{\"port\":" + ProxyAndPublishTest.PORT + ",\"alias\":\"shop\"}");
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        assertThat(SandboxApiTest.json(published.body()))
                .containsEntry("url", "http://shop." + ZONE + ":" + fx.daemon.port() + "/");
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    /** A GET with this Host header (java.net.http will not set Host), answered with Connection: close. */
    private static String get(String host, String path) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), fx.daemon.port())) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theAliasSubdomainIsServedWithoutAKey() throws Exception {
        String r = get("shop." + ZONE + ":" + fx.daemon.port(), "/echo/x?y=1");
        assertThat(r).startsWith("HTTP/1.1 200").contains("\"path\": \"/echo/x?y=1\"")
                .contains("\"x-forwarded-host\": \"shop." + ZONE + ":" + fx.daemon.port() + "\"");
        assertThat(get("SHOP." + ZONE, "/echo")).as("host names are case-insensitive").startsWith("HTTP/1.1 200");
    }

    @Test
    void unknownAliasesAndDeeperSubdomainsAre404() throws Exception {
        assertThat(get("nobody." + ZONE, "/")).startsWith("HTTP/1.1 404").contains("alias_not_found");
        String deeper = get("a.shop." + ZONE, "/");
        assertThat(deeper).as("not an alias: the API, which wants a key").startsWith("HTTP/1.1 401");
    }

    @Test
    void theTerminalWebSocketWorksWithAZone() throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket ws = fx.http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + fx.daemon.port()
                + "/sandboxes/site/ws?token=" + fx.adminKey), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        first.complete(data.toString());
                        return null;
                    }
                }).get(60, TimeUnit.SECONDS);
        assertThat(first.get(60, TimeUnit.SECONDS)).contains("\"type\":\"session\"");
        ws.abort();
    }

    @Test
    void withAZoneThePathFormIsNotPublic() throws Exception {
        assertThat(get("127.0.0.1", "/p/shop/echo")).startsWith("HTTP/1.1 401");
        assertThat(get("127.0.0.1", "/health")).startsWith("HTTP/1.1 200");
    }
}

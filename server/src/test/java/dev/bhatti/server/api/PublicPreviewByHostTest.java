package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.sdk.Raw;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
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
        assertThat(fx.post(fx.adminKey, "/sandboxes", "{\"name\":\"site\"}").status()).isEqualTo(201);
        ProxyAndPublishTest.startUpstream(fx, "site");
        Raw.Response published = fx.post(fx.adminKey, "/sandboxes/site/publish",
                "{\"port\":" + ProxyAndPublishTest.PORT + ",\"alias\":\"shop\"}");
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        assertThat(SandboxApiTest.json(published.text()))
                .containsEntry("url", "http://shop." + ZONE + ":" + fx.daemon.port() + "/");
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    /**
     * A GET without a key with this Host header, as a browser on {@code <alias>.<zone>} sends it;
     * not checked against openapi.json, whose paths are the API's, not a previewed site's.
     */
    private static Raw.Response get(String host, String path) {
        return fx.raw(null).send("GET", path, Map.of("Host", host), null);
    }

    @Test
    void theAliasSubdomainIsServedWithoutAKey() throws Exception {
        Raw.Response r = get("shop." + ZONE + ":" + fx.daemon.port(), "/echo/x?y=1");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.text()).contains("\"path\": \"/echo/x?y=1\"")
                .contains("\"x-forwarded-host\": \"shop." + ZONE + ":" + fx.daemon.port() + "\"");
        assertThat(get("SHOP." + ZONE, "/echo").status()).as("host names are case-insensitive").isEqualTo(200);
    }

    @Test
    void unknownAliasesAndDeeperSubdomainsAre404() throws Exception {
        Raw.Response unknown = get("nobody." + ZONE, "/");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text()).contains("alias_not_found");
        assertThat(get("a.shop." + ZONE, "/sandboxes").status()).as("not an alias: the API, which wants a key").isEqualTo(401);
        assertThat(get("a.shop." + ZONE, "/").status()).as("and its dashboard page, which asks for one").isEqualTo(200);
    }

    @Test
    void theTerminalWebSocketWorksWithAZone() throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket ws = fx.websocket(null, "/sandboxes/site/ws?token=" + fx.adminKey, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                first.complete(data.toString());
                return null;
            }
        });
        assertThat(first.get(60, TimeUnit.SECONDS)).contains("\"type\":\"session\"");
        ws.abort();
    }

    @Test
    void withAZoneThePathFormIsNotPublic() throws Exception {
        assertThat(get("127.0.0.1", "/p/shop/echo").status()).isEqualTo(401);
        assertThat(get("127.0.0.1", "/health").status()).isEqualTo(200);
    }
}

package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.sdk.Raw;
import dev.bhatti.server.store.Limits;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Auth, error shapes and bad input: answered before any VM is involved, and nothing is created. */
class AuthAndInputTest {
    private static DaemonFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new DaemonFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    private static Map<String, Object> json(Raw.Response r) throws Exception {
        return SandboxApiTest.json(r.text());
    }

    @Test
    void healthNeedsNoKeyAndEveryResponseCarriesTheVersion() throws Exception {
        Raw.Response r = fx.get(null, "/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r)).containsEntry("status", "ok").containsKeys("sandboxes", "uptime", "version");
        assertThat(r.header("X-Bhatti-Version")).isPresent();
        assertThat(fx.get(null, "/sandboxes").header("X-Bhatti-Version")).isPresent();
    }

    @ParameterizedTest
    @CsvSource({"GET,/sandboxes", "GET,/ports", "GET,/secrets", "POST,/sandboxes", "GET,/sandboxes/x/proxy/80/"})
    void anUpgradeHeaderDoesNotSkipAuthOnHttpRoutes(String method, String path) throws Exception {
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), fx.daemon.port())) {
            s.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            // Without a key, such a request is refused whatever route it names: never served, never upgraded
            // (HTTP-only routes have no WebSocket endpoint: 404; WebSocket routes want the key: 401).
            assertThat(status).matches(path.contains("/proxy/") ? "HTTP/1.1 401 .*" : "HTTP/1.1 404 .*");
        }
    }

    @Test
    void firstStartWroteTheAdminKeyAndUrlToAPrivateClientConfig() throws Exception {
        java.nio.file.Path config = fx.dir.resolve("client/config.yaml");
        assertThat(java.nio.file.Files.getPosixFilePermissions(config))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(java.nio.file.Files.readString(config))
                .contains("api_url: http://127.0.0.1:" + fx.daemon.port()).contains("auth_token: bht_");
        assertThat(fx.get(fx.adminKey, "/sandboxes").status()).isEqualTo(200);
    }

    @Test
    void missingAndUnknownKeysAre401WithStableMessages() throws Exception {
        Raw.Response missing = fx.get(null, "/sandboxes");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(json(missing)).containsEntry("error", "authorization required").containsEntry("code", "unauthorized");
        Raw.Response unknown = fx.get("bht_" + "0".repeat(64), "/sandboxes");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(json(unknown)).containsEntry("error", "invalid api key");
        assertThat(fx.get("not-a-key", "/secrets").status()).isEqualTo(401);
    }

    @Test
    void dotSegmentsDoNotSneakPastAuth() throws Exception {
        Raw.Response r = fx.get(null, "/./health/../sandboxes");
        assertThat(r.status()).isIn(400, 401);
        assertThat(r.text()).doesNotContain("\"id\"");
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405InTheErrorShape() throws Exception {
        Raw.Response unknown = fx.get(fx.adminKey, "/nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(json(unknown)).containsKeys("error", "code");
        Raw.Response wrong = fx.delete(fx.adminKey, "/health");
        assertThat(wrong.status()).isEqualTo(405);
        assertThat(json(wrong)).containsKeys("error", "code");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{not json                              | 400 | invalid_json",
        "[1,2]                                  | 400 | invalid_json",
        "{\"name\":\"bad name!\"}               | 400 | invalid_name",
        "{\"cpus\":-1}                          | 400 | invalid_cpus",
        "{\"cpus\":99}                          | 400 | invalid_cpus",
        "{\"memory_mb\":1000000000000}          | 400 | invalid_json",
        "{\"memory_mb\":100000}                 | 400 | invalid_memory",
        "{\"disk_size_mb\":0}                   | 400 | invalid_disk_size",
        "{\"secrets\":[\"NOPE\"]}               | 404 | secret_not_found",
        "{\"template_id\":\"tpl_missing\"}      | 404 | template_not_found",
        "{\"env\":{\"1BAD\":\"x\"}}             | 400 | invalid_env",
        "{\"files\":[{\"path\":\"rel\",\"content\":\"\"}]} | 400 | invalid_path",
        "{\"volumes\":[{\"name\":\"nope\",\"mount\":\"/v\"}]} | 404 | volume_not_found"})
    void badCreateRequestsAreRefusedAndCreateNothing(String body, int status, String code) throws Exception {
        Raw.Response r = fx.post(fx.adminKey, "/sandboxes", body);
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(json(r)).containsEntry("code", code);
        assertThat(fx.get(fx.adminKey, "/sandboxes").text()).isEqualTo("[]");
        assertThat(fx.daemon.config().dataDir().resolve("sandboxes").toFile().list()).isNullOrEmpty();
    }

    @Test
    void bodyOverOneMebibyteIs413() throws Exception {
        String big = "{\"name\":\"" + "a".repeat(1 << 20) + "\"}";
        Raw.Response r = fx.post(fx.adminKey, "/sandboxes", big);
        assertThat(r.status()).isEqualTo(413);
    }

    @Test
    void sandboxCountQuotaIs429BeforeAnythingBoots() throws Exception {
        String key = fx.newUser("tiny", new Limits(1, 4, 4096, 20480));
        try (var store = dev.bhatti.server.store.SqliteStore.open(fx.daemon.config().dataDir())) {
            String userId = store.userByName("tiny").orElseThrow().id();
            store.insertSandbox(new dev.bhatti.server.store.SandboxRow("sb-existing", userId, "held", "stopped", 1, 512,
                    null, "minimal", null, false, Map.of(), java.time.Instant.now(), null, null));
        }
        Raw.Response r = fx.post(key, "/sandboxes", "{\"name\":\"second\"}");
        assertThat(r.status()).isEqualTo(429);
        assertThat(json(r)).containsEntry("error", "sandbox limit reached (1/1)").containsEntry("code", "quota_exceeded");
    }

    @Test
    void uploadWithoutContentLengthIs411() throws Exception {
        byte[] chunked = "1\r\nx\r\n0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Raw.Response r = fx.send(fx.adminKey, "PUT", "/sandboxes/whatever/files?path=/x",
                Map.of("Transfer-Encoding", "chunked"), chunked);
        assertThat(r.status()).isEqualTo(411);
    }

    @Test
    void secretTemplateAndVolumeCrud() throws Exception {
        String k = fx.adminKey;
        assertThat(fx.post(k, "/secrets", "{\"name\":\"TOKEN\",\"value\":\"v1\"}").status()).isEqualTo(201);
        assertThat(fx.post(k, "/secrets", "{\"name\":\"TOKEN\",\"value\":\"v2\"}").status()).isEqualTo(201);
        assertThat(fx.get(k, "/secrets").text()).contains("TOKEN").doesNotContain("v2");
        assertThat(fx.delete(k, "/secrets/TOKEN").status()).isEqualTo(200);
        assertThat(fx.delete(k, "/secrets/TOKEN").status()).isEqualTo(404);
        Raw.Response t = fx.post(k, "/templates", "{\"name\":\"py\",\"cpus\":2,\"env\":{\"A\":\"1\"}}");
        assertThat(t.status()).as(t.text()).isEqualTo(201);
        assertThat(fx.get(k, "/templates/py").text()).contains("\"cpus\":2");
        assertThat(fx.post(k, "/templates", "{\"name\":\"py\"}").status()).isEqualTo(409);
        assertThat(fx.delete(k, "/templates/py").status()).isEqualTo(200);
        assertThat(fx.get(k, "/templates/py").status()).isEqualTo(404);
        Raw.Response v = fx.post(k, "/volumes", "{\"name\":\"cache\",\"size_mb\":16}");
        assertThat(v.status()).as(v.text()).isEqualTo(201);
        assertThat(json(v)).containsEntry("name", "cache").containsEntry("size_mb", 16).containsEntry("status", "available");
        assertThat(fx.post(k, "/volumes", "{\"name\":\"huge\",\"size_mb\":999999}").status()).isEqualTo(429);
        assertThat(fx.post(k, "/volumes", "{\"name\":\"zero\",\"size_mb\":0}").status()).isEqualTo(400);
        assertThat(fx.delete(k, "/volumes/cache").status()).isEqualTo(200);
        assertThat(fx.get(k, "/volumes").text()).isEqualTo("[]");
    }
}

package dev.bhatti.server.api;

import dev.bhatti.sdk.Bhatti;
import dev.bhatti.sdk.Raw;
import dev.bhatti.server.Daemon;
import dev.bhatti.server.config.ServerConfig;
import dev.bhatti.server.store.Limits;
import dev.bhatti.server.store.SqliteStore;
import dev.bhatti.server.store.Store;
import dev.bhatti.server.users.ApiKeys;
import dev.bhatti.server.users.Users;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A real daemon (real QEMU engine, real VMs) on a free port with its own temp data dir, reached
 * through the SDK ({@link Bhatti#raw()}, one client per key). The admin key is read from the CLI
 * config the first start wrote. A {@code null} key means no key: no {@code Authorization} header.
 */
final class DaemonFixture implements AutoCloseable {
    final Path dir;
    Daemon daemon;
    final String adminKey;
    private final Map<String, Bhatti> clients = new ConcurrentHashMap<>();

    DaemonFixture() throws IOException {
        this(c -> c);
    }

    /**
     * With the test defaults (free port, temp dirs, generous rate limits, no image snapshot built
     * at start: a test that wants one turns it on) adjusted by {@code tweak}.
     */
    DaemonFixture(java.util.function.UnaryOperator<ServerConfig> tweak) throws IOException {
        dir = Files.createTempDirectory("bhatti-daemon-test-");
        ServerConfig config = tweak.apply(ServerConfig.defaults().withDataDir(dir.resolve("data")).withListen("127.0.0.1:0")
                .withClientConfig(dir.resolve("client/config.yaml")).withRateScale(100).withImageSnapshots(false));
        daemon = Daemon.start(config);
        adminKey = Files.readAllLines(config.clientConfig()).stream().filter(l -> l.startsWith("auth_token: "))
                .map(l -> l.substring("auth_token: ".length())).findFirst().orElseThrow();
    }

    /** Creates a user the way {@code bhatti user create} does: on the data dir's store. */
    String newUser(String name, Limits limits) {
        try (Store store = SqliteStore.open(daemon.config().dataDir())) {
            return new Users(store, new ApiKeys(), Clock.systemUTC()).create(name, limits).apiKey();
        }
    }

    /**
     * A graceful shutdown (sandboxes snapshotted) and a new daemon on the same data dir and port,
     * as after an upgrade; clients are made anew.
     */
    void restart() throws IOException {
        ServerConfig config = daemon.config().withListen("127.0.0.1:" + daemon.port());
        daemon.shutdown();
        clients.clear();
        daemon = Daemon.start(config);
    }

    /** The daemon's base URL, {@code http://127.0.0.1:<port>}. */
    String url() {
        return "http://127.0.0.1:" + daemon.port();
    }

    /** The SDK with {@code key} ({@code null}: without a key), one instance per key. */
    Bhatti client(String key) {
        return clients.computeIfAbsent(key == null ? "" : key, k -> Bhatti.connect(url(), k));
    }

    /** Plain HTTP with {@code key}, unchecked: for streams and requests whose answers are not the API's. */
    Raw raw(String key) {
        return client(key).raw();
    }

    /** Sends the request; every answer is checked against openapi.json ({@link OpenApiContract}). */
    Raw.Response send(String key, String method, String path, Map<String, String> headers, byte[] body) {
        Raw.Response r = raw(key).send(method, path, headers, body);
        OpenApiContract.verify(method, path, r);
        return r;
    }

    /** Sends {@code text} as the body with no content type. */
    Raw.Response send(String key, String method, String path, String text) {
        return send(key, method, path, Map.of(), text.getBytes(StandardCharsets.UTF_8));
    }

    Raw.Response get(String key, String path) {
        return send(key, "GET", path, Map.of(), null);
    }

    Raw.Response delete(String key, String path) {
        return send(key, "DELETE", path, Map.of(), null);
    }

    Raw.Response post(String key, String path, String json) {
        return send(key, "POST", path, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
    }

    Raw.Response patch(String key, String path, String json) {
        return send(key, "PATCH", path, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
    }

    /** A WebSocket to {@code path} with {@code key}; a refused upgrade throws its {@code BhattiException}. */
    WebSocket websocket(String key, String path, WebSocket.Listener listener) {
        return raw(key).websocket(path, listener);
    }

    @Override
    public void close() throws IOException {
        daemon.close();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

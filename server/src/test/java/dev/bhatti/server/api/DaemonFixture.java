package dev.bhatti.server.api;

import dev.bhatti.server.Daemon;
import dev.bhatti.server.config.ServerConfig;
import dev.bhatti.server.store.Limits;
import dev.bhatti.server.store.SqliteStore;
import dev.bhatti.server.store.Store;
import dev.bhatti.server.users.ApiKeys;
import dev.bhatti.server.users.Users;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real daemon (real QEMU engine, real VMs) on a free port with its own temp data dir, plus an
 * HTTP client. The admin key is read from the CLI config the first start wrote.
 */
final class DaemonFixture implements AutoCloseable {
    final Path dir;
    final Daemon daemon;
    final String adminKey;
    final HttpClient http = HttpClient.newHttpClient();

    DaemonFixture() throws IOException {
        this(c -> c);
    }

    /** With the test defaults (free port, temp dirs, generous rate limits) adjusted by {@code tweak}. */
    DaemonFixture(java.util.function.UnaryOperator<ServerConfig> tweak) throws IOException {
        dir = Files.createTempDirectory("bhatti-daemon-test-");
        ServerConfig config = tweak.apply(ServerConfig.defaults().withDataDir(dir.resolve("data")).withListen("127.0.0.1:0")
                .withClientConfig(dir.resolve("client/config.yaml")).withRateScale(100));
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

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + daemon.port() + path);
    }

    HttpRequest.Builder request(String key, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofMinutes(3));
        return key == null ? b : b.header("Authorization", "Bearer " + key);
    }

    /** Sends the request; every answer is checked against openapi.json ({@link OpenApiContract}). */
    HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        OpenApiContract.verify(r.request().method(), r.uri().getRawPath(), r);
        return r;
    }

    HttpResponse<String> get(String key, String path) throws IOException, InterruptedException {
        return send(request(key, path).GET());
    }

    HttpResponse<String> delete(String key, String path) throws IOException, InterruptedException {
        return send(request(key, path).DELETE());
    }

    HttpResponse<String> post(String key, String path, String json) throws IOException, InterruptedException {
        return send(request(key, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> patch(String key, String path, String json) throws IOException, InterruptedException {
        return send(request(key, path).method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
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

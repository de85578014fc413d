package dev.bhatti.bench;

import static dev.bhatti.bench.Measure.deleteTree;

import dev.bhatti.agent.floor.Latencies;
import dev.bhatti.server.store.Limits;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.SqliteStore;
import dev.bhatti.server.store.Store;
import dev.bhatti.server.users.ApiKeys;
import dev.bhatti.server.users.Users;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon at scale on one host (issue 13, item 4), as its own process ({@code bin/bhatti serve}):
 * {@code GET /sandboxes} for a user with 1,000 sandbox rows; then CLIENTS concurrent clients, each
 * looping over {@code GET /health}, {@code GET /sandboxes/:id} and {@code GET /sandboxes} of its own
 * user (20 users with 10 sandboxes each) for SECONDS: per-route p50/p95/p99, throughput, errors, and
 * the daemon's RSS, sampled every second. Keep-alive HTTP/1.1 (java.net.http); no VM is involved.
 *
 * <p>Usage: {@code scale [CLIENTS] [SECONDS]} (default 200, 60). Needs {@code bin/bhatti} built.
 */
final class ScaleBench {
    private static final int ROWS = 1000;
    private static final int USERS = 20;
    private static final int ROWS_PER_USER = 10;

    private ScaleBench() {}

    static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path dir = Files.createTempDirectory("bhatti-bench-scale-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("server.yaml");
        Files.writeString(config, "data_dir: " + dir.resolve("data") + "\nlisten: 127.0.0.1:" + port + "\nclient_config: "
                + dir.resolve("client.yaml") + "\nrate_scale: 1000\nimage_snapshots: false\n");
        Process daemon = new ProcessBuilder("bin/bhatti", "serve", "--config", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon.log").toFile()).start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        String base = "http://127.0.0.1:" + port;
        try {
            awaitHealth(http, base, daemon, dir);
            Fixture fx = fixture(dir.resolve("data"));
            long pid = daemon.pid();
            System.out.printf("scale bench: daemon pid %d (bin/bhatti serve), %d sandbox rows in the store; ms%n", pid,
                    ROWS + USERS * ROWS_PER_USER);
            System.out.printf("%-52s %s%n", "measurement", Latencies.HEADER);
            for (int i = 0; i < 2000; i++) {
                get(http, base + "/sandboxes", fx.listerKey());
            }
            for (int run = 1; run <= 3; run++) {
                long[] t = new long[1000];
                int bytes = 0;
                for (int i = 0; i < t.length; i++) {
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> r = get(http, base + "/sandboxes", fx.listerKey());
                    t[i] = System.nanoTime() - t0;
                    bytes = r.body().length;
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("GET /sandboxes answered " + r.statusCode());
                    }
                }
                System.out.printf("%-52s %s%n", "GET /sandboxes, 1,000 rows (" + bytes / 1024 + " KiB), run " + run,
                        new Latencies(t).row());
            }
            System.out.printf("daemon RSS before the load: %d MiB%n", rssKb(pid) / 1024);
            load(http, base, fx, pid, clients, seconds);
        } finally {
            daemon.destroy();
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor();
            }
            deleteTree(dir);
        }
    }

    private record Fixture(String listerKey, List<String> userKeys) {}

    private static Fixture fixture(Path data) {
        try (Store store = SqliteStore.open(data)) {
            Users users = new Users(store, new ApiKeys(), Clock.systemUTC());
            Users.Created lister = users.create("lister", Limits.DEFAULT);
            for (int i = 0; i < ROWS; i++) {
                store.insertSandbox(row("sb-scale-" + i, lister.user().id(), "s" + i, i));
            }
            List<String> keys = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                Users.Created user = users.create("user" + u, Limits.DEFAULT);
                for (int i = 0; i < ROWS_PER_USER; i++) {
                    store.insertSandbox(row("sb-u" + u + "-" + i, user.user().id(), "s" + i, i));
                }
                keys.add(user.apiKey());
            }
            return new Fixture(lister.apiKey(), keys);
        }
    }

    /** A row as a stopped sandbox has it: labels and the engine's VM state, whose agent token the store seals. */
    private static SandboxRow row(String id, String owner, String name, int i) {
        return new SandboxRow(id, owner, name, "stopped", 1, 512, null, "minimal", null, false,
                Map.of("team", "t" + (i % 7), "i", Integer.toString(i)), Instant.now(), null, vmState(id, name));
    }

    private static String vmState(String id, String name) {
        String token = java.util.HexFormat.of().formatHex(java.security.SecureRandom.getSeed(16));
        try {
            return dev.bhatti.proto.Json.mapper().writeValueAsString(new dev.bhatti.engine.VmState(id, name,
                    Path.of("/var/lib/bhatti/sandboxes", id), 1, 512, token, 1024, 1025, List.of(), 4,
                    java.util.Optional.empty()).toMap());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void load(HttpClient http, String base, Fixture fx, long pid, int clients, int seconds) throws Exception {
        String[] routes = {"GET /health", "GET /sandboxes/:id", "GET /sandboxes (10 rows)"};
        Map<String, ConcurrentLinkedQueue<Long>> times = new ConcurrentHashMap<>();
        for (String r : routes) {
            times.put(r, new ConcurrentLinkedQueue<>());
        }
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long[] maxRss = {0};
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (System.nanoTime() < end) {
                maxRss[0] = Math.max(maxRss[0], rssKb(pid));
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                String key = fx.userKeys().get(c % USERS);
                int first = c;
                pool.submit(() -> {
                    for (int i = first; System.nanoTime() < end; i++) {
                        int op = i % routes.length;
                        String path = switch (op) {
                            case 0 -> "/health";
                            case 1 -> "/sandboxes/s" + (i % ROWS_PER_USER);
                            default -> "/sandboxes";
                        };
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<byte[]> r = get(http, base + path, key);
                            if (r.statusCode() != 200) {
                                throw new IOException(path + " answered " + r.statusCode());
                            }
                            times.get(routes[op]).add(System.nanoTime() - t0);
                        } catch (Exception e) {
                            if (errors.incrementAndGet() <= 3) {
                                firstErrors.add(String.valueOf(e));
                            }
                        }
                    }
                    return null;
                });
            }
        }
        sampler.join();
        long total = times.values().stream().mapToLong(ConcurrentLinkedQueue::size).sum();
        System.out.printf("%n%d concurrent clients for %d s: %d requests (%.0f/s), %d errors%s%n", clients, seconds, total,
                total / (double) seconds, errors.get(), firstErrors.isEmpty() ? "" : " " + firstErrors);
        for (String r : routes) {
            System.out.printf("%-52s %s%n", r + " under load (" + times.get(r).size() + ")",
                    new Latencies(times.get(r).stream().mapToLong(Long::longValue).toArray()).row());
        }
        System.out.printf("daemon RSS under the load: max %d MiB (sampled every second), after it %d MiB%n",
                maxRss[0] / 1024, rssKb(pid) / 1024);
    }

    private static HttpResponse<byte[]> get(HttpClient http, String url, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void awaitHealth(HttpClient http, String base, Process daemon, Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                throw new IllegalStateException("the daemon exited: " + Files.readString(dir.resolve("daemon.log")));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the daemon did not answer /health in 60 s");
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }
}

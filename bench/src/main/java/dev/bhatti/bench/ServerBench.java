package dev.bhatti.bench;

import static dev.bhatti.bench.Measure.deleteTree;
import static dev.bhatti.bench.Measure.print;
import static dev.bhatti.bench.Measure.sample;
import static dev.bhatti.bench.Measure.time;

import dev.bhatti.agent.floor.Latencies;
import dev.bhatti.client.AgentClient;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.sdk.Bhatti;
import dev.bhatti.sdk.Raw;
import dev.bhatti.server.Daemon;
import dev.bhatti.server.config.ServerConfig;
import dev.bhatti.server.store.Limits;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.SqliteStore;
import dev.bhatti.server.store.Store;
import dev.bhatti.server.users.ApiKeys;
import dev.bhatti.server.users.Users;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The daemon's API on real VMs (issue 4's figures): HTTP exec {@code true} against the engine's own
 * exec on the same sandbox, {@code GET /sandboxes} with 50 sandboxes in the store, and the time a
 * restarted daemon needs to recover and serve a cold sandbox again. Each latency: 3 runs.
 */
final class ServerBench {
    private static final int RUNS = 3;
    private static final int EXECS = 200;
    private static final int LISTS = 1000;
    private static final int WARMUP_EXECS = 300;
    private static final int WARMUP_GETS = 3000;

    private ServerBench() {}

    static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("bhatti-bench-server-");
        ServerConfig config = ServerConfig.defaults().withDataDir(dir.resolve("data")).withListen("127.0.0.1:0")
                .withClientConfig(dir.resolve("client.yaml")).withRateScale(1000)
                .withImageSnapshots(false);
        try {
            Daemon daemon = Daemon.start(config);
            String key = adminKey(config);
            Api api = new Api(daemon.port(), key);
            check(api.post("/sandboxes", "{\"name\":\"bench\"}"), 201);
            String id = daemon.engine().list().getFirst().id();
            AgentClient agent = daemon.engine().agent(id);
            System.out.printf("%-44s %s%n", "measurement (ms)", Latencies.HEADER);
            for (int i = 0; i < WARMUP_EXECS; i++) {
                api.post("/sandboxes/bench/exec", "{\"cmd\":[\"true\"]}");
                agent.exec(ExecRequest.of("true"));
            }
            for (int i = 0; i < WARMUP_GETS; i++) {
                api.get("/sandboxes/bench");
                api.get("/health");
            }
            for (int run = 1; run <= RUNS; run++) {
                pairedExecs(run, agent, api);
                print("HTTP GET /health (no auth, no store), run " + run, sample(LISTS, () -> time(() ->
                        check(api.get("/health"), 200))));
                print("HTTP GET /sandboxes/bench (no VM), run " + run, sample(LISTS, () -> time(() ->
                        check(api.get("/sandboxes/bench"), 200))));
            }
            proxy(agent, api);
            String listKey = fiftySandboxes(config.dataDir());
            Api lister = new Api(daemon.port(), listKey);
            check(lister.get("/sandboxes"), 200);
            for (int run = 1; run <= RUNS; run++) {
                print("GET /sandboxes (50 in store), run " + run, sample(LISTS, () -> time(() ->
                        check(lister.get("/sandboxes"), 200))));
            }
            restart(daemon, config, key);
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * Engine exec and HTTP exec of {@code true} alternately on the same sandbox, so both see the same
     * guest conditions (TCG noise is far larger than the HTTP layer); the paired difference is the
     * HTTP layer's cost.
     */
    private static void pairedExecs(int run, AgentClient agent, Api api) throws Exception {
        long[] engine = new long[EXECS];
        long[] http = new long[EXECS];
        long[] diff = new long[EXECS];
        for (int i = 0; i < EXECS; i++) {
            engine[i] = time(() -> agent.exec(ExecRequest.of("true")));
            http[i] = time(() -> check(api.post("/sandboxes/bench/exec", "{\"cmd\":[\"true\"]}"), 200));
            diff[i] = http[i] - engine[i];
        }
        print("engine exec true, run " + run, new Latencies(engine));
        print("HTTP exec true, run " + run, new Latencies(http));
        print("HTTP - engine, paired, run " + run, new Latencies(diff));
    }

    /**
     * A GET of a small file from an HTTP server in the guest: straight through the agent's tunnel
     * (HTTP/1.0 by hand), through {@code /sandboxes/:id/proxy/:port/}, and through the public
     * {@code /p/<alias>/} route, interleaved; the paired difference is the proxy layer's cost.
     */
    private static void proxy(AgentClient agent, Api api) throws Exception {
        check(api.post("/sandboxes/bench/exec", "{\"cmd\":[\"python3\",\"-m\",\"http.server\",\"8000\",\"--bind\","
                + "\"127.0.0.1\",\"--directory\",\"/etc\"],\"detach\":true}"), 200);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (api.get("/sandboxes/bench/proxy/8000/hostname").status() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the guest's http.server did not answer within 60 s");
            }
            LockSupport.parkNanos(200_000_000);
        }
        check(api.post("/sandboxes/bench/publish", "{\"port\":8000,\"alias\":\"bench\"}"), 201);
        for (int i = 0; i < WARMUP_GETS / 10; i++) {
            tunnelGet(agent);
            check(api.get("/sandboxes/bench/proxy/8000/hostname"), 200);
            check(api.get("/p/bench/hostname"), 200);
        }
        for (int run = 1; run <= RUNS; run++) {
            long[] tunnel = new long[EXECS];
            long[] proxied = new long[EXECS];
            long[] published = new long[EXECS];
            long[] diff = new long[EXECS];
            for (int i = 0; i < EXECS; i++) {
                tunnel[i] = time(() -> tunnelGet(agent));
                proxied[i] = time(() -> check(api.get("/sandboxes/bench/proxy/8000/hostname"), 200));
                published[i] = time(() -> check(api.get("/p/bench/hostname"), 200));
                diff[i] = proxied[i] - tunnel[i];
            }
            print("tunnel GET (no HTTP layer), run " + run, new Latencies(tunnel));
            print("proxy GET /proxy/8000/hostname, run " + run, new Latencies(proxied));
            print("public GET /p/bench/hostname, run " + run, new Latencies(published));
            print("proxy - tunnel, paired, run " + run, new Latencies(diff));
        }
    }

    private static void tunnelGet(AgentClient agent) throws Exception {
        try (SocketChannel ch = agent.forward(8000)) {
            ch.write(ByteBuffer.wrap("GET /hostname HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                buf.clear();
            }
        }
    }

    /** Closes the daemon abruptly (its VMM dies with it) after a stop, then measures start-up recovery and the first exec. */
    private static void restart(Daemon daemon, ServerConfig config, String key) throws Exception {
        check(new Api(daemon.port(), key).post("/sandboxes/bench/stop", ""), 200);
        daemon.close();
        for (int run = 1; run <= RUNS; run++) {
            long t0 = System.nanoTime();
            Daemon again = Daemon.start(config);
            long started = System.nanoTime() - t0;
            Api api = new Api(again.port(), key);
            long t1 = System.nanoTime();
            check(api.post("/sandboxes/bench/exec", "{\"cmd\":[\"true\"]}"), 200);
            long firstExec = System.nanoTime() - t1;
            System.out.printf("restart %d: daemon start incl. recovery %.0f ms (restored %d), first exec (restore) %.0f ms%n",
                    run, started / 1e6, again.recovery().restored(), firstExec / 1e6);
            check(api.post("/sandboxes/bench/stop", ""), 200);
            again.close();
        }
        Daemon last = Daemon.start(config);
        check(new Api(last.port(), key).delete("/sandboxes/bench"), 200);
        last.close();
    }

    private static String fiftySandboxes(Path dataDir) {
        try (Store store = SqliteStore.open(dataDir)) {
            Users.Created lister = new Users(store, new ApiKeys(), Clock.systemUTC()).create("lister", Limits.DEFAULT);
            for (int i = 0; i < 50; i++) {
                store.insertSandbox(new SandboxRow("sb-list-" + i, lister.user().id(), "s" + i, "stopped", 1, 512, null,
                        "minimal", null, false, Map.of("i", Integer.toString(i)), Instant.now(), null, null));
            }
            return lister.apiKey();
        }
    }

    /** The API over the SDK's plain HTTP (one connection per call, as the CLI makes them). */
    record Api(Raw raw) {
        Api(int port, String key) {
            this(Bhatti.connect("http://127.0.0.1:" + port, key).raw());
        }

        Raw.Response post(String path, String body) {
            return raw.json("POST", path, body);
        }

        Raw.Response get(String path) {
            return raw.send("GET", path, Map.of(), null);
        }

        Raw.Response delete(String path) {
            return raw.send("DELETE", path, Map.of(), null);
        }
    }

    static String adminKey(ServerConfig config) throws Exception {
        return Files.readAllLines(config.clientConfig()).stream().filter(l -> l.startsWith("auth_token: "))
                .map(l -> l.substring(12)).findFirst().orElseThrow();
    }

    static Raw.Response check(Raw.Response r, int status) {
        if (r.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + r.status() + ": " + r.text());
        }
        return r;
    }
}

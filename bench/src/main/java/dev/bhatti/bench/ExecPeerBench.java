package dev.bhatti.bench;

import static dev.bhatti.bench.Measure.deleteTree;
import static dev.bhatti.bench.Measure.time;
import static dev.bhatti.bench.ServerBench.check;

import dev.bhatti.agent.floor.Latencies;
import dev.bhatti.client.AgentClient;
import dev.bhatti.engine.qemu.GuestImages;
import dev.bhatti.engine.qemu.QemuEngine;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.server.Daemon;
import dev.bhatti.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Exec {@code true} at the guest's floor (issue 13, item 1), side by side in one run: the daemon's
 * HTTP exec, the engine's own exec on the same sandbox, qemu-guest-agent's guest-exec + status
 * poll on a VM of the same kind, and the floor (bash forking and exec'ing /bin/true, 100 times in a
 * loop, in each of the two guests). Samples are interleaved, so all three see the same host.
 *
 * <p>Usage: {@code exec-peer PEER_ROOTFS [RUNS] [SAMPLES]} (scripts/bench exec-peer builds the rootfs).
 */
final class ExecPeerBench {
    private static final String FLOOR_LOOP = "s=$EPOCHREALTIME; for i in $(seq 100); do /bin/true; done; "
            + "e=$EPOCHREALTIME; echo $s $e";
    private static final int WARMUP = 100;

    private ExecPeerBench() {}

    static void main(String[] args) throws Exception {
        Path peerRootfs = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Path dir = Files.createTempDirectory("bhatti-bench-peer-");
        ServerConfig config = ServerConfig.defaults().withDataDir(dir.resolve("data")).withListen("127.0.0.1:0")
                .withClientConfig(dir.resolve("client.yaml")).withRateScale(1000);
        Daemon daemon = Daemon.start(config);
        try (QgaPeer peer = QgaPeer.boot(GuestImages.fromCache(), peerRootfs,
                ((QemuEngine) daemon.engine()).accel(), ((QemuEngine) daemon.engine()).kernelArgs())) {
            String key = ServerBench.adminKey(config);
            ServerBench.Api api = new ServerBench.Api(daemon.port(), key);
            KeptAlive http = new KeptAlive("http://127.0.0.1:" + daemon.port(), key);
            check(api.post("/sandboxes", "{\"name\":\"bench\"}"), 201);
            AgentClient agent = daemon.engine().agent(daemon.engine().list().getFirst().id());
            System.out.printf("exec-peer: accel=%s, 1 vCPU, 512 MiB each; %d runs of %d interleaved samples; ms%n",
                    ((QemuEngine) daemon.engine()).accel(), runs, samples);
            System.out.println("ours runs `true` as the guest user (lohar); qemu-guest-agent runs it as root.");
            for (int i = 0; i < WARMUP; i++) {
                http.post("/sandboxes/bench/exec", "{\"cmd\":[\"true\"]}");
                agent.exec(ExecRequest.of("true"));
                peer.exec("/bin/true");
            }
            System.out.printf("%-4s %-44s %s%n", "run", "measurement", Latencies.HEADER);
            for (int run = 1; run <= runs; run++) {
                long[][] t = new long[4][samples];
                for (int i = 0; i < samples; i++) {
                    t[0][i] = time(() -> http.post("/sandboxes/bench/exec", "{\"cmd\":[\"true\"]}"));
                    t[1][i] = time(() -> agent.exec(ExecRequest.of("true")));
                    t[2][i] = time(() -> peer.exec("/bin/true"));
                    t[3][i] = time(() -> http.get("/sandboxes/bench"));
                }
                double ourFloor = perSpawn(agent.exec(ExecRequest.of("bash", "-c", FLOOR_LOOP)).stdout());
                double peerFloor = perSpawn(peer.exec("/bin/bash", "-c", FLOOR_LOOP));
                List<Latencies> all = List.of(new Latencies(t[0]), new Latencies(t[1]), new Latencies(t[2]),
                        new Latencies(t[3]));
                List<String> names = List.of("bhatti: HTTP POST /exec true, kept-alive", "bhatti: engine exec true",
                        "qemu-guest-agent: guest-exec true", "bhatti: HTTP GET /sandboxes/bench, kept-alive");
                for (int k = 0; k < all.size(); k++) {
                    System.out.printf("%-4d %-44s %s%n", run, names.get(k), all.get(k).row());
                }
                System.out.printf("%-4d %-44s ours %.1f ms, peer's guest %.1f ms%n", run, "floor: bash fork+exec /bin/true",
                        ourFloor, peerFloor);
                System.out.printf("%-4d %-44s HTTP/floor %.2fx, engine/floor %.2fx, QGA/peer floor %.2fx, HTTP/QGA %.2fx%n",
                        run, "p50 ratios", p50(all.get(0)) / ourFloor, p50(all.get(1)) / ourFloor,
                        p50(all.get(2)) / peerFloor, p50(all.get(0)) / p50(all.get(2)));
            }
            check(api.delete("/sandboxes/bench"), 200);
        } finally {
            daemon.close();
            deleteTree(dir);
        }
    }

    /** The API over one kept-alive HTTP/1.1 connection (java.net.http), as an SDK client holds it. */
    private record KeptAlive(java.net.http.HttpClient client, String base, String key) {
        KeptAlive(String base, String key) {
            this(java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build(), base, key);
        }

        void post(String path, String json) throws Exception {
            send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)));
        }

        void get(String path) throws Exception {
            send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path)).GET());
        }

        private void send(java.net.http.HttpRequest.Builder request) throws Exception {
            var r = client.send(request.header("Authorization", "Bearer " + key).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(r.uri() + " answered " + r.statusCode() + ": " + r.body());
            }
        }
    }

    private static double p50(Latencies l) {
        return l.percentileMillis(50);
    }

    /** Milliseconds per /bin/true of {@link #FLOOR_LOOP}'s output ("START END" in seconds). */
    private static double perSpawn(String output) {
        String[] p = output.strip().split(" ");
        return (Double.parseDouble(p[1]) - Double.parseDouble(p[0])) * 1000 / 100;
    }
}

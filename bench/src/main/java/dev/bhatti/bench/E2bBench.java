package dev.bhatti.bench;

import dev.bhatti.server.Daemon;
import dev.bhatti.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Create and {@code commands.run('true')} through the unmodified e2b SDK against bhatti's own API,
 * paired in one run (issue 15's figures): a daemon with image snapshots, and the Node script
 * {@code e2b/bench/latency.mjs} doing the timing.
 */
final class E2bBench {
    private E2bBench() {}

    static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("bhatti-bench-e2b-");
        ServerConfig config = ServerConfig.defaults().withDataDir(dir.resolve("data")).withListen("127.0.0.1:0")
                .withClientConfig(dir.resolve("client.yaml")).withRateScale(1000);
        Daemon daemon = Daemon.start(config);
        try {
            String key = Files.readAllLines(config.clientConfig()).stream().filter(l -> l.startsWith("auth_token: "))
                    .map(l -> l.substring("auth_token: ".length())).findFirst().orElseThrow();
            String url = "http://127.0.0.1:" + daemon.port();
            ProcessBuilder pb = new ProcessBuilder("node", "bench/latency.mjs").directory(Path.of("e2b").toFile()).inheritIO();
            pb.environment().put("E2B_API_URL", url + "/e2b/api");
            pb.environment().put("E2B_SANDBOX_URL", url + "/e2b/envd");
            pb.environment().put("E2B_API_KEY", key);
            pb.environment().put("BHATTI_URL", url);
            if (args.length > 0) {
                pb.environment().put("RUNS", args[0]);
            }
            int code = pb.start().waitFor();
            if (code != 0) {
                throw new IllegalStateException("the bench script failed with exit code " + code);
            }
        } finally {
            daemon.close();
            Measure.deleteTree(dir);
        }
    }
}

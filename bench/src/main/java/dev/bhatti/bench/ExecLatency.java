package dev.bhatti.bench;

import dev.bhatti.agent.LoharProcess;
import dev.bhatti.agent.floor.Latencies;
import dev.bhatti.agent.floor.SpawnFloor;
import dev.bhatti.client.AgentClient;
import dev.bhatti.client.ExecResult;
import dev.bhatti.client.Transport;
import dev.bhatti.proto.ExecRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * End-to-end latency of {@code exec true}: a real test-mode lohar, N sequential buffered execs
 * through {@link AgentClient}, against the floor of spawning and reaping {@code /bin/true} with
 * the agent's own posix layer in this process. Prints p50/p95/p99/max per run and the p50
 * overhead of the whole path (connect, frames, agent, pipes) over the bare spawn.
 */
final class ExecLatency {
    private static final int WARMUP = 200;

    /** Parsed command line. */
    record Options(int count, int runs) {
        static Options parse(String[] args) {
            int count = 1000;
            int runs = 3;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--count" -> count = Integer.parseInt(value(args, ++i, "--count"));
                    case "--runs" -> runs = Integer.parseInt(value(args, ++i, "--runs"));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (expected --count N, --runs R)");
                }
            }
            if (count < 1 || runs < 1) {
                throw new IllegalArgumentException("--count and --runs must be positive");
            }
            return new Options(count, runs);
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }
    }

    private ExecLatency() {}

    static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        System.out.printf("exec-latency: %d sequential `exec true` per run, %d runs, %d warm-up%n",
                options.count(), options.runs(), WARMUP);
        try (LoharProcess lohar = LoharProcess.start();
             AgentClient client = new AgentClient(Transport.unix(lohar.controlSocket(), lohar.forwardSocket()),
                     Optional.empty())) {
            client.waitReady(Duration.ofSeconds(30));
            SpawnFloor.measure(WARMUP);
            measureExec(client, WARMUP);
            System.out.println();
            System.out.printf("%-4s %-38s %-38s %s%n", "", "floor: spawn+wait /bin/true (ms)", "client: exec true (ms)", "overhead");
            System.out.printf("%-4s %s %s %s%n", "run", Latencies.HEADER, Latencies.HEADER, " p50 (ms)");
            for (int run = 1; run <= options.runs(); run++) {
                Latencies floor = SpawnFloor.measure(options.count());
                Latencies exec = measureExec(client, options.count());
                System.out.printf("%-4d %s %s %9.3f%n", run, floor.row(), exec.row(),
                        exec.percentileMillis(50) - floor.percentileMillis(50));
            }
        }
    }

    /** Runs {@code exec true} through the client {@code n} times, sequentially. */
    static Latencies measureExec(AgentClient client, int n) throws IOException {
        ExecRequest request = ExecRequest.of("true");
        List<Long> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            ExecResult result = client.exec(request);
            samples.add(System.nanoTime() - start);
            requireZero(result.exitCode(), "exec true (stderr: " + result.stderr() + ")");
        }
        return new Latencies(samples.stream().mapToLong(Long::longValue).toArray());
    }

    private static void requireZero(int code, String what) {
        if (code != 0) {
            throw new IllegalStateException(what + " exited with " + code);
        }
    }
}

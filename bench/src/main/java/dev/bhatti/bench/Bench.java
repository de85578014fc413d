package dev.bhatti.bench;

import java.util.Arrays;

/**
 * Entry point of {@code bhatti-bench.jar}: {@code jmh [JMH args]} runs the micro-benchmarks,
 * {@code exec-latency [--count N] [--runs R]} measures end-to-end exec latency
 * against a real lohar in test mode, {@code engine} measures sandboxes on real QEMU VMs.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            case "exec-latency" -> ExecLatency.main(rest);
            case "engine" -> EngineBench.main(rest);
            case "server" -> ServerBench.main(rest);
            case "exec-peer" -> ExecPeerBench.main(rest);
            case "memory" -> MemoryBench.main(rest);
            case "scale" -> ScaleBench.main(rest);
            case "boot" -> BootBench.main(rest);
            case "network" -> NetworkBench.main(rest);
            case "snapshots" -> SnapshotBench.main(rest);
            case "dashboard" -> DashboardBench.main(rest);
            case "e2b" -> E2bBench.main(rest);
            default -> {
                System.err.println("bhatti-bench: unknown command " + args[0]);
                usage();
                System.exit(2);
            }
        }
    }

    private static void usage() {
        System.err.println("usage: java -jar bhatti-bench.jar jmh [JMH options]");
        System.err.println("       java -jar bhatti-bench.jar exec-latency [--count N] [--runs R]");
        System.err.println("       java -jar bhatti-bench.jar engine    (real QEMU VMs; needs scripts/image)");
        System.err.println("       java -jar bhatti-bench.jar server    (the daemon's HTTP API on real VMs)");
        System.err.println("       java -jar bhatti-bench.jar exec-peer PEER_ROOTFS [RUNS] [SAMPLES]  (see scripts/bench exec-peer)");
        System.err.println("       java -jar bhatti-bench.jar memory [BEFORE_TB_MB] [AFTER_TB_MB]  (host memory per sandbox)");
        System.err.println("       java -jar bhatti-bench.jar scale [CLIENTS] [SECONDS]  (the daemon with 1,000 rows and concurrent clients)");
        System.err.println("       java -jar bhatti-bench.jar dashboard [RUNS]  (page load and keystroke echo in headless Chromium)");
        System.err.println("       java -jar bhatti-bench.jar e2b [RUNS]  (create and run true: the e2b SDK vs the bhatti API)");
        System.err.println("       java -jar bhatti-bench.jar boot [N]  (boot to agent ready, by stage)");
        System.err.println("       java -jar bhatti-bench.jar network   (user vs bridge exec latency; run it in a network"
                + " namespace: scripts/bench network)");
    }
}

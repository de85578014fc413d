package dev.bhatti.bench;

import static dev.bhatti.bench.Measure.deleteTree;
import static dev.bhatti.bench.Measure.print;
import static dev.bhatti.bench.Measure.time;

import dev.bhatti.agent.floor.Latencies;
import dev.bhatti.client.AgentClient;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.net.BridgeNetwork;
import dev.bhatti.engine.net.HostCommands;
import dev.bhatti.engine.net.SandboxNetworks;
import dev.bhatti.engine.qemu.GuestImages;
import dev.bhatti.engine.qemu.NetworkMode;
import dev.bhatti.engine.qemu.QemuEngine;
import dev.bhatti.proto.ExecRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Exec latency of the three network modes, one VM each, measured in one run: user mode (slirp,
 * the old default), a namespace per sandbox (the default since decision 0023) and bridge mode.
 * Single execs of {@code true} alternate between the modes so all see the same host conditions;
 * then rounds of 10 concurrent execs on one sandbox, alternating too, each beside the guest's own
 * floor for that work (one exec in which a shell spawns {@code true} 10 times: under TCG a spawn
 * costs the 1-vCPU guest ~25 ms, which bounds 10 concurrent execs from below). Then each mode's
 * QEMU memory, its restore from a snapshot to a first exec, and what a namespace costs to set up.
 * Creates namespaces, bridges
 * and nftables rules, so {@code scripts/bench network} runs it inside a network namespace of its own.
 */
final class NetworkBench {
    private static final int RUNS = 3;
    private static final int EXECS = 100;
    private static final int WARMUP = 50;
    private static final int CONCURRENT = 10;
    private static final int ROUNDS = 20;
    private static final int RESTORES = 5;
    /** What 10 execs of {@code true} cost the guest alone: 10 spawns by one shell, no host round trip. */
    private static final String TEN_SPAWNS = "for i in 1 2 3 4 5 6 7 8 9 10; do /bin/true; done";

    private NetworkBench() {}

    private record Mode(String name, QemuEngine engine, String id) {
        AgentClient agent() {
            return engine.agent(id);
        }
    }

    static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("bhatti-bench-net-");
        SandboxNetworks namespaces = new SandboxNetworks(HostCommands.local(), "10.213", dir.resolve("netns"));
        try (QemuEngine user = new QemuEngine(dir.resolve("user"), GuestImages.fromCache(), NetworkMode.user());
             QemuEngine netns = new QemuEngine(dir.resolve("netns"), GuestImages.fromCache(), NetworkMode.netns(namespaces));
             QemuEngine bridge = new QemuEngine(dir.resolve("bridge"), GuestImages.fromCache(),
                     NetworkMode.bridge(new BridgeNetwork(HostCommands.local(), "10.200")))) {
            user.create(CreateSpec.basic("bench-user"));
            netns.create(CreateSpec.basic("bench-netns"));
            bridge.create(CreateSpec.basic("bench-bridge"), "bench");
            List<Mode> modes = List.of(new Mode("user mode (slirp, old default)", user, "bench-user"),
                    new Mode("netns (TAP in a namespace, default)", netns, "bench-netns"),
                    new Mode("bridge mode (TAP on a bridge)", bridge, "bench-bridge"));
            for (int i = 0; i < WARMUP; i++) {
                for (Mode m : modes) {
                    m.agent().exec(ExecRequest.of("true"));
                }
            }
            System.out.printf("%-44s %s%n", "measurement (ms)", Latencies.HEADER);
            ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
            try {
                for (int run = 1; run <= RUNS; run++) {
                    long[][] single = new long[modes.size()][EXECS];
                    for (int i = 0; i < EXECS; i++) {
                        for (int m = 0; m < modes.size(); m++) {
                            AgentClient agent = modes.get(m).agent();
                            single[m][i] = time(() -> agent.exec(ExecRequest.of("true")));
                        }
                    }
                    long[][] parallel = new long[modes.size()][ROUNDS];
                    long[][] floor = new long[modes.size()][ROUNDS];
                    for (int r = 0; r < ROUNDS; r++) {
                        for (int m = 0; m < modes.size(); m++) {
                            AgentClient agent = modes.get(m).agent();
                            parallel[m][r] = concurrently(pool, agent);
                            floor[m][r] = time(() -> agent.exec(ExecRequest.of("sh", "-c", TEN_SPAWNS)));
                        }
                    }
                    for (int m = 0; m < modes.size(); m++) {
                        Latencies one = new Latencies(single[m]);
                        Latencies ten = new Latencies(parallel[m]);
                        Latencies guest = new Latencies(floor[m]);
                        print("exec true, " + modes.get(m).name() + ", run " + run, one);
                        print("  10 concurrent (all done), run " + run, ten);
                        print("  guest floor: 10 spawns in one exec, run " + run, guest);
                        System.out.printf("  10 concurrent p50 / single p50 = %.1fx; / guest floor p50 = %.1fx%n",
                                ten.percentileMillis(50) / one.percentileMillis(50),
                                ten.percentileMillis(50) / guest.percentileMillis(50));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            for (Mode m : modes) {
                System.out.printf("host memory (PSS of QEMU), %s: %.0f MiB%n", m.name(),
                        Measure.pssKb(m.engine().vmmPids(List.of(m.id()))) / 1024.0);
            }
            for (Mode m : modes) {
                long[] restores = new long[RESTORES];
                for (int i = 0; i < RESTORES; i++) {
                    m.engine().stop(m.id());
                    restores[i] = time(() -> {
                        m.engine().start(m.id(), false);
                        m.agent().exec(ExecRequest.of("true"));
                    });
                }
                print("restore + first exec, " + m.name(), new Latencies(restores));
            }
            long[] setups = new long[RESTORES * 4];
            for (int i = 0; i < setups.length; i++) {
                String id = "bench-ns-" + i;
                setups[i] = time(() -> namespaces.create(id));
                namespaces.delete(id, namespaces.netnsFor(id));
            }
            print("namespace + veth + TAP + table, per sandbox", new Latencies(setups));
            user.destroy("bench-user");
            netns.destroy("bench-netns");
            bridge.destroy("bench-bridge");
        } finally {
            deleteTree(dir);
        }
    }

    /** Nanoseconds until {@value #CONCURRENT} execs of {@code true} started at once have all finished. */
    private static long concurrently(ExecutorService pool, AgentClient agent) throws Exception {
        return time(() -> {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                runs.add(pool.submit(() -> agent.exec(ExecRequest.of("true"))));
            }
            for (Future<?> f : runs) {
                f.get();
            }
        });
    }
}

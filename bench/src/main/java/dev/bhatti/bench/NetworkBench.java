package dev.bhatti.bench;

import static dev.bhatti.bench.Measure.deleteTree;
import static dev.bhatti.bench.Measure.print;
import static dev.bhatti.bench.Measure.time;

import dev.bhatti.agent.floor.Latencies;
import dev.bhatti.client.AgentClient;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.net.BridgeNetwork;
import dev.bhatti.engine.net.HostCommands;
import dev.bhatti.engine.qemu.GuestImages;
import dev.bhatti.engine.qemu.NetworkMode;
import dev.bhatti.engine.qemu.QemuEngine;
import dev.bhatti.proto.ExecRequest;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Exec latency in bridge mode against user mode: one VM of each, {@code true} run on them
 * alternately so both see the same host conditions. Creates bridges and nftables rules, so
 * {@code scripts/bench network} runs it inside a network namespace of its own.
 */
final class NetworkBench {
    private static final int RUNS = 3;
    private static final int EXECS = 100;
    private static final int WARMUP = 50;

    private NetworkBench() {}

    static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("bhatti-bench-net-");
        try (QemuEngine user = new QemuEngine(dir.resolve("user"), GuestImages.fromCache(), NetworkMode.user());
             QemuEngine bridge = new QemuEngine(dir.resolve("bridge"), GuestImages.fromCache(),
                     NetworkMode.bridge(new BridgeNetwork(HostCommands.local(), "10.200")))) {
            user.create(CreateSpec.basic("bench-user"));
            bridge.create(CreateSpec.basic("bench-bridge"), "bench");
            AgentClient viaUser = user.agent("bench-user");
            AgentClient viaBridge = bridge.agent("bench-bridge");
            for (int i = 0; i < WARMUP; i++) {
                viaUser.exec(ExecRequest.of("true"));
                viaBridge.exec(ExecRequest.of("true"));
            }
            System.out.printf("%-44s %s%n", "measurement (ms)", Latencies.HEADER);
            for (int run = 1; run <= RUNS; run++) {
                long[] u = new long[EXECS];
                long[] b = new long[EXECS];
                long[] diff = new long[EXECS];
                for (int i = 0; i < EXECS; i++) {
                    u[i] = time(() -> viaUser.exec(ExecRequest.of("true")));
                    b[i] = time(() -> viaBridge.exec(ExecRequest.of("true")));
                    diff[i] = b[i] - u[i];
                }
                print("exec true, user mode (slirp), run " + run, new Latencies(u));
                print("exec true, bridge mode (TAP), run " + run, new Latencies(b));
                print("bridge - user, paired, run " + run, new Latencies(diff));
            }
            user.destroy("bench-user");
            bridge.destroy("bench-bridge");
        } finally {
            deleteTree(dir);
        }
    }
}

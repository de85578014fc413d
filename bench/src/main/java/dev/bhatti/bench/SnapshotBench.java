package dev.bhatti.bench;

import static dev.bhatti.bench.Measure.deleteTree;
import static dev.bhatti.bench.Measure.print;

import dev.bhatti.agent.floor.Latencies;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.qemu.GuestImages;
import dev.bhatti.engine.qemu.QemuEngine;
import dev.bhatti.proto.ExecRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Create from an image snapshot vs a boot, on real QEMU VMs, in one run and interleaved (boot,
 * snapshot, boot, ...) so both see the same machine load: create → first exec answered, p50/p95/p99.
 * Then forks, checkpoints and host memory ({@link CopyBench}, max(3, N/2) rounds).
 * Usage: {@code scripts/bench snapshots [N]} (N pairs, default 10).
 */
final class SnapshotBench {
    private SnapshotBench() {}

    static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path bootData = Files.createTempDirectory("bhatti-bench-boot-");
        Path snapData = Files.createTempDirectory("bhatti-bench-snap-");
        // Two engines on two data dirs: the boot engine has no image snapshot, so its creates boot.
        try (QemuEngine boot = new QemuEngine(bootData, GuestImages.fromCache());
             QemuEngine snap = new QemuEngine(snapData, GuestImages.fromCache())) {
            long built = System.nanoTime();
            snap.prepareImageSnapshot(1, 512);
            System.out.printf("snapshots bench: accel=%s, 1 vCPU, 512 MiB; image snapshot built in %d ms; times in ms%n",
                    snap.accel(), (System.nanoTime() - built) / 1_000_000);
            System.out.printf("%-44s %s%n", "measurement", Latencies.HEADER);
            List<Long> boots = new ArrayList<>();
            List<Long> snaps = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                boots.add(createAndExec(boot, "bench-boot-" + i));
                snaps.add(createAndExec(snap, "bench-snap-" + i));
            }
            Latencies b = new Latencies(boots.stream().mapToLong(Long::longValue).toArray());
            Latencies s = new Latencies(snaps.stream().mapToLong(Long::longValue).toArray());
            print("create (boot) -> first exec", b);
            print("create (image snapshot) -> first exec", s);
            System.out.printf("speed-up at p50: %.1fx%n", b.percentileMillis(50) / s.percentileMillis(50));
            CopyBench.run(boot, snap, snapData, Math.max(3, pairs / 2));
        } finally {
            deleteTree(bootData);
            deleteTree(snapData);
        }
    }

    private static long createAndExec(QemuEngine engine, String id) throws Exception {
        long t = System.nanoTime();
        engine.create(CreateSpec.basic(id));
        engine.agent(id).exec(ExecRequest.of("true"));
        long took = System.nanoTime() - t;
        engine.destroy(id);
        return took;
    }
}

package dev.bhatti.bench;

import static dev.bhatti.bench.Measure.print;

import dev.bhatti.agent.floor.Latencies;
import dev.bhatti.engine.Copies;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.VmInfo;
import dev.bhatti.engine.qemu.QemuEngine;
import dev.bhatti.proto.ExecRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Forks and checkpoints on real VMs (decision 0022), the second half of {@code scripts/bench
 * snapshots}: fork of a running sandbox into 3 (to every child's first exec), how long the
 * parent's vCPUs stood still, a checkpoint's size against the guest's memory in use, restore to a
 * checkpoint (to its first exec), and the host memory (PSS) of 10 idle clones vs 10 booted VMs.
 */
final class CopyBench {
    private CopyBench() {}

    static void run(QemuEngine boot, QemuEngine snap, Path dataDir, int rounds) throws Exception {
        String parent = "bench-parent";
        snap.create(CreateSpec.basic(parent));
        sh(snap, parent, "setsid sh -c 'while true; do date > /workspace/t; sleep 0.1; done' >/dev/null 2>&1 </dev/null &");
        List<Long> forks = new ArrayList<>();
        List<Long> pauses = new ArrayList<>();
        List<Long> restores = new ArrayList<>();
        List<Long> checkpoints = new ArrayList<>();
        long cpBytes = 0;
        long changedBytes = 0;
        long diskLayerBytes = 0;
        long memoryStoredBytes = 0;
        long usedKb = 0;
        for (int r = 0; r < rounds; r++) {
            List<Copies.Child> kids = List.of(new Copies.Child("bench-kid-" + r + "-a", "kid-a"),
                    new Copies.Child("bench-kid-" + r + "-b", "kid-b"), new Copies.Child("bench-kid-" + r + "-c", "kid-c"));
            long t = System.nanoTime();
            Copies.Forked forked = snap.fork(parent, kids, QemuEngine.DEFAULT_USER);
            for (VmInfo k : forked.children()) {
                snap.agent(k.id()).exec(ExecRequest.of("true"));
            }
            forks.add(System.nanoTime() - t);
            pauses.add(forked.pausedMs() * 1_000_000);
            String cp = "bench-cp-" + r;
            long c = System.nanoTime();
            Copies.Checkpointed written = snap.checkpoint(kids.getFirst().id(), cp);
            checkpoints.add(System.nanoTime() - c);
            cpBytes = written.sizeBytes();
            changedBytes = written.changedMemoryBytes();
            diskLayerBytes = allocated(dataDir.resolve("checkpoints").resolve(cp).resolve("root.qcow2"));
            Path delta = dataDir.resolve("checkpoints").resolve(cp).resolve("mem.delta");
            memoryStoredBytes = java.nio.file.Files.exists(delta) ? allocated(delta) : 0;
            usedKb = usedKb(snap, kids.getFirst().id());
            // Change memory and disk, then roll back.
            sh(snap, kids.getFirst().id(), "head -c 20000000 /dev/urandom > /dev/shm/junk; echo x > /workspace/after");
            long s = System.nanoTime();
            snap.restoreCheckpoint(kids.getFirst().id(), cp);
            snap.agent(kids.getFirst().id()).exec(ExecRequest.of("true"));
            restores.add(System.nanoTime() - s);
            snap.deleteCheckpoint(cp);
            for (VmInfo k : forked.children()) {
                snap.destroy(k.id());
            }
        }
        print("fork into 3 -> every child's first exec", latencies(forks));
        print("  parent's vCPUs stopped for the fork", latencies(pauses));
        print("checkpoint written (guest stopped throughout)", latencies(checkpoints));
        print("restore to a checkpoint -> first exec", latencies(restores));
        System.out.printf("checkpoint size: %.2f MiB on disk; guest memory changed since its image snapshot: %s (stored: "
                + "%.2f MiB, pages changed to zeros take no space); its disk layer (the guest's disk writes since its "
                + "creation): %.2f MiB; the rest (device state, page map, config drive): %.2f MiB; the guest had %.1f MiB "
                + "of memory in use (MemTotal - MemFree)%n", cpBytes / 1048576.0,
                changedBytes < 0 ? "n/a (full copy)" : String.format("%.2f MiB", changedBytes / 1048576.0),
                memoryStoredBytes / 1048576.0, diskLayerBytes / 1048576.0,
                (cpBytes - memoryStoredBytes - diskLayerBytes) / 1048576.0, usedKb / 1024.0);
        snap.destroy(parent);
        hostMemory(boot, snap);
    }

    /** PSS of 10 idle VMs made from the image snapshot vs 10 booted, side by side. */
    private static void hostMemory(QemuEngine boot, QemuEngine snap) throws Exception {
        List<String> clones = new ArrayList<>();
        List<String> booted = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            clones.add(snap.create(CreateSpec.basic("bench-clone-" + i)).id());
            booted.add(boot.create(CreateSpec.basic("bench-booted-" + i)).id());
        }
        Thread.sleep(5_000);
        System.out.printf("host memory of 10 idle sandboxes (PSS of their QEMU processes): from the image snapshot "
                + "%.0f MiB, booted %.0f MiB%n", Measure.pssKb(snap.vmmPids(clones)) / 1024.0, Measure.pssKb(boot.vmmPids(booted)) / 1024.0);
        clones.forEach(snap::destroy);
        booted.forEach(boot::destroy);
    }

    private static long allocated(Path file) throws IOException {
        Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
        String[] f = new String(p.getInputStream().readAllBytes()).strip().split(" ");
        return Long.parseLong(f[0]) * Long.parseLong(f[1]);
    }

    private static long usedKb(QemuEngine engine, String id) throws IOException {
        String out = sh(engine, id, "awk '/MemTotal/ {t=$2} /MemFree/ {f=$2} END {print t-f}' /proc/meminfo");
        return Long.parseLong(out.strip());
    }

    private static String sh(QemuEngine engine, String id, String script) throws IOException {
        return engine.agent(id).exec(ExecRequest.of("sh", "-c", script)).stdout();
    }

    private static Latencies latencies(List<Long> nanos) {
        return new Latencies(nanos.stream().mapToLong(Long::longValue).toArray());
    }
}

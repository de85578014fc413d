package dev.bhatti.bench;

import static dev.bhatti.bench.Measure.deleteTree;
import static dev.bhatti.bench.Measure.print;
import static dev.bhatti.bench.Measure.sample;
import static dev.bhatti.bench.Measure.time;

import dev.bhatti.agent.floor.Latencies;
import dev.bhatti.client.AgentClient;
import dev.bhatti.client.ExecListener;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.qemu.GuestImages;
import dev.bhatti.engine.qemu.QemuEngine;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.FileReadRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sandbox performance on real QEMU VMs (TCG here), printed as p50/p95/p99/max per measurement:
 * create, exec, files, warm and cold cycles, snapshots (shared-memory vs full RAM), streaming,
 * concurrency, truncated reads, and the in-guest spawn floor measured by lohar itself.
 */
final class EngineBench {
    private final QemuEngine engine;
    private final String id;

    private EngineBench(QemuEngine engine, String id) {
        this.engine = engine;
        this.id = id;
    }

    static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("bhatti-bench-");
        try (QemuEngine engine = new QemuEngine(data, GuestImages.fromCache())) {
            System.out.println("engine bench: accel=" + engine.accel() + ", 1 vCPU, 512 MiB; times in ms");
            System.out.printf("%-44s %s%n", "measurement", Latencies.HEADER);
            Latencies create = sample(3, () -> {
                String one = "bench-create-" + System.nanoTime();
                long t = System.nanoTime();
                engine.create(CreateSpec.basic(one));
                long took = System.nanoTime() - t;
                engine.destroy(one);
                return took;
            });
            print("create -> agent ready", create);
            String id = "bench-" + ProcessHandle.current().pid();
            engine.create(CreateSpec.basic(id));
            try {
                new EngineBench(engine, id).run();
            } finally {
                engine.destroy(id);
            }
        } finally {
            deleteTree(data);
        }
    }

    private AgentClient agent() {
        return engine.agent(id);
    }

    private void run() throws Exception {
        sample(20, () -> time(() -> agent().exec(ExecRequest.of("true"))));
        print("exec true (100 sequential)", sample(100, () -> time(() -> agent().exec(ExecRequest.of("true")))));
        printFloor();
        byte[] kib = new byte[1024];
        print("1 KiB write + read (50 cycles)", sample(50, () -> time(() -> {
            agent().writeFile("/workspace/kib", "0644", kib.length, new ByteArrayInputStream(kib));
            agent().readFile(FileReadRequest.whole("/workspace/kib"), OutputStream.nullOutputStream());
        })));
        print("1 KiB read, 5 in parallel (10 rounds)", parallel(10, 5,
                () -> agent().readFile(FileReadRequest.whole("/workspace/kib"), OutputStream.nullOutputStream())));
        print("10 concurrent exec true, each (5 rounds)", parallel(5, 10, () -> agent().exec(ExecRequest.of("true"))));
        thermal();
        streaming();
        reads();
        System.out.println("idle cold sandbox holds a QEMU process: " + coldHoldsVmm());
    }

    private void thermal() throws Exception {
        print("pause (QMP stop)", sample(20, () -> {
            long took = time(() -> engine.pause(id));
            engine.resume(id);
            return took;
        }));
        print("resume (QMP cont)", sample(20, () -> {
            engine.pause(id);
            return time(() -> engine.resume(id));
        }));
        print("warm -> ensureHot + exec true (5 cycles)", sample(5, () -> {
            engine.pause(id);
            return time(() -> {
                engine.ensureHot(id);
                agent().exec(ExecRequest.of("true"));
            });
        }));
        snapshots(false, "shared-memory");
        snapshots(true, "full-RAM");
    }

    private void snapshots(boolean full, String kind) throws Exception {
        List<Long> bytes = new ArrayList<>();
        Latencies stop = sample(5, () -> {
            long t = System.nanoTime();
            bytes.add(engine.stop(id, full));
            long took = System.nanoTime() - t;
            engine.ensureHot(id);
            return took;
        });
        print("stop, " + kind + " snapshot (5 cycles)", stop);
        System.out.printf("%-44s %d bytes per snapshot (median)%n", "  snapshot size, " + kind,
                bytes.stream().sorted().toList().get(bytes.size() / 2));
        print("restore -> first exec, " + kind, sample(5, () -> {
            engine.stop(id, full);
            return time(() -> {
                engine.ensureHot(id);
                agent().exec(ExecRequest.of("true"));
            });
        }));
    }

    private void streaming() throws Exception {
        List<Long> firstByte = new ArrayList<>();
        Latencies total = sample(20, () -> {
            long t = System.nanoTime();
            long[] first = {0};
            agent().exec(ExecRequest.of("sh", "-c", "echo first; sleep 0.1; echo second"), new ExecListener() {
                @Override
                public void onStdout(byte[] data) {
                    if (first[0] == 0) {
                        first[0] = System.nanoTime() - t;
                    }
                }

                @Override
                public void onStderr(byte[] data) {}
            });
            firstByte.add(first[0]);
            return System.nanoTime() - t;
        });
        print("streaming exec: time to first byte", new Latencies(firstByte.stream().mapToLong(Long::longValue).toArray()));
        print("streaming exec: total (incl. sleep 0.1)", total);
    }

    private void reads() throws Exception {
        agent().exec(ExecRequest.of("sh", "-c", "seq -f 'line %g' 1 10000 > /workspace/10k.txt"));
        print("read 10,000-line file, full", sample(20, () -> time(() ->
                agent().readFile(FileReadRequest.whole("/workspace/10k.txt"), OutputStream.nullOutputStream()))));
        print("read 10,000-line file, limit=100", sample(20, () -> time(() -> agent().readFile(
                new FileReadRequest("/workspace/10k.txt", null, 100L, null), OutputStream.nullOutputStream()))));
    }

    private void printFloor() throws IOException {
        var r = agent().exec(ExecRequest.of("/opt/lohar/runtime/bin/java", "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-jar", "/opt/lohar/lohar.jar", "floor", "--count", "200"));
        System.out.printf("%-44s %s%n", "in-guest floor (lohar floor)", r.stdout().strip() + r.stderr().strip());
    }

    private boolean coldHoldsVmm() {
        engine.stop(id);
        boolean holds = ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine()
                .map(c -> c.contains("qemu-system") && c.contains(id)).orElse(false));
        engine.ensureHot(id);
        return holds;
    }



    /** Runs {@code width} at once, {@code rounds} times; failed samples are counted and reported, not timed. */
    private static Latencies parallel(int rounds, int width, Measure.Work w) throws Exception {
        List<Long> samples = new ArrayList<>();
        int failed = 0;
        String firstFailure = null;
        for (int r = 0; r < rounds; r++) {
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Long>> all = new ArrayList<>();
                for (int i = 0; i < width; i++) {
                    all.add(pool.submit(() -> time(w)));
                }
                for (Future<Long> f : all) {
                    try {
                        samples.add(f.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        failed++;
                        firstFailure = firstFailure == null ? String.valueOf(e.getCause()) : firstFailure;
                    }
                }
            }
        }
        if (failed > 0) {
            System.out.printf("  %d of %d parallel samples FAILED, first: %s%n", failed, rounds * width, firstFailure);
        }
        return new Latencies(samples.stream().mapToLong(Long::longValue).toArray());
    }



}

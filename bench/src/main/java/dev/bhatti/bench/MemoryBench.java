package dev.bhatti.bench;

import static dev.bhatti.bench.Measure.deleteTree;
import static dev.bhatti.bench.Measure.time;
import static dev.bhatti.bench.ServerBench.check;

import dev.bhatti.agent.floor.Latencies;
import dev.bhatti.client.ExecResult;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.net.HostCommands;
import dev.bhatti.engine.net.SandboxNetworks;
import dev.bhatti.engine.qemu.Accel;
import dev.bhatti.engine.qemu.GuestImages;
import dev.bhatti.engine.qemu.NetworkMode;
import dev.bhatti.engine.qemu.QemuEngine;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.server.Daemon;
import dev.bhatti.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Host memory per sandbox (issue 13, item 2), before vs after in one run: two engines that differ
 * only in the TCG translation buffer (QEMU's default vs ours) and free page reporting (off vs on,
 * decision 0026), one idle hot 512 MiB sandbox
 * each, booted, then stopped and restored; QEMU's RSS (anonymous and file: guest RAM) against what
 * the guest holds (MemTotal - MemFree, its page cache included) and what it uses (free's "used");
 * exec and a python3 start, sampled alternately on the two. Then the daemon with 20 sandboxes,
 * 18 cold and 2 hot: every QEMU's RSS and the daemon's own.
 *
 * <p>Usage: {@code memory [BEFORE_TB_MB] [AFTER_TB_MB]} (0 = QEMU's default).
 */
final class MemoryBench {
    private static final int EXECS = 100;

    private MemoryBench() {}

    static void main(String[] args) throws Exception {
        int before = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int after = args.length > 1 ? Integer.parseInt(args[1]) : Accel.DEFAULT_TB_SIZE_MB;
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "bm-");
        try {
            compare(dir, before, after);
            twentySandboxes(dir.resolve("daemon"));
        } finally {
            SandboxNetworks.removeAllOf(dir.resolve("a"));
            SandboxNetworks.removeAllOf(dir.resolve("b"));
            deleteTree(dir);
        }
    }

    private record Vm(String label, QemuEngine engine, String id) {}

    private static void compare(Path dir, int before, int after) throws Exception {
        Accel accel = Accel.detect();
        try (QemuEngine a = engine(dir.resolve("a"), "10.214", accel.withTbSizeMb(before).withFreePageReporting(false));
             QemuEngine b = engine(dir.resolve("b"), "10.215", accel.withTbSizeMb(after).withFreePageReporting(true))) {
            List<Vm> vms = List.of(new Vm("before: tb " + (before == 0 ? "default" : before + "M"), a, "mem-a"),
                    new Vm("after: tb " + (after == 0 ? "default" : after + "M") + "+FPR", b, "mem-b"));
            for (Vm vm : vms) {
                vm.engine().create(CreateSpec.basic(vm.id()));
            }
            System.out.printf("memory bench: accel=%s, 1 vCPU, 512 MiB, netns; MiB unless noted; %d execs per sample set%n",
                    accel.kind(), EXECS);
            System.out.printf("%-22s %-16s %7s %7s %7s %8s %7s %9s %22s %12s%n", "sandbox", "when", "RSS", "anon", "file",
                    "held", "used", "RSS-held", "exec p50/p95/p99 ms", "python3 p50");
            report(vms, "after boot");
            for (Vm vm : vms) {
                vm.engine().stop(vm.id());
                vm.engine().ensureHot(vm.id());
                vm.engine().agent(vm.id()).exec(ExecRequest.of("true"));
            }
            Thread.sleep(2000);
            for (Vm vm : vms) {
                row(vm, "restored, idle", null, -1);
            }
            report(vms, "restored, used");
            for (Vm vm : vms) {
                vm.engine().destroy(vm.id());
            }
        }
    }

    /** Samples execs and python3 starts alternately on the VMs, lets them idle, then prints a row each. */
    private static void report(List<Vm> vms, String when) throws Exception {
        Map<Vm, long[]> execs = new LinkedHashMap<>();
        Map<Vm, long[]> pythons = new LinkedHashMap<>();
        vms.forEach(vm -> {
            execs.put(vm, new long[EXECS]);
            pythons.put(vm, new long[EXECS / 10]);
        });
        for (int i = 0; i < EXECS; i++) {
            for (Vm vm : vms) {
                execs.get(vm)[i] = time(() -> vm.engine().agent(vm.id()).exec(ExecRequest.of("true")));
                if (i % 10 == 0) {
                    pythons.get(vm)[i / 10] = time(() -> vm.engine().agent(vm.id()).exec(ExecRequest.of("python3", "-c", "pass")));
                }
            }
        }
        Thread.sleep(2000);
        for (Vm vm : vms) {
            row(vm, when, new Latencies(execs.get(vm)), new Latencies(pythons.get(vm)).percentileMillis(50));
        }
    }

    private static void row(Vm vm, String when, Latencies execs, double python) throws Exception {
        Map<String, Long> status = status(qemuPid(vm.engine(), vm.id()));
        ExecResult mem = vm.engine().agent(vm.id()).exec(ExecRequest.of("sh", "-c",
                "awk '/^MemTotal:/ {t=$2} /^MemFree:/ {f=$2} END {print int((t-f)/1024)}' /proc/meminfo; "
                        + "free -m | awk '/^Mem:/ {print $3}'"));
        String[] m = mem.stdout().strip().split("\n");
        long held = Long.parseLong(m[0]);
        long rss = status.get("VmRSS") / 1024;
        System.out.printf("%-22s %-16s %7d %7d %7d %8d %7s %9d %22s %12s%n", vm.label(), when, rss,
                status.get("RssAnon") / 1024, (status.get("RssFile") + status.get("RssShmem")) / 1024, held, m[1], rss - held,
                execs == null ? "" : String.format("%.1f / %.1f / %.1f", execs.percentileMillis(50),
                        execs.percentileMillis(95), execs.percentileMillis(99)),
                python < 0 ? "" : String.format("%.0f ms", python));
    }

    /** The daemon with 20 sandboxes of the default shape, 18 stopped (cold) and 2 hot. */
    private static void twentySandboxes(Path dir) throws Exception {
        ServerConfig config = ServerConfig.defaults().withDataDir(dir.resolve("data")).withListen("127.0.0.1:0")
                .withClientConfig(dir.resolve("client.yaml")).withRateScale(1000);
        Daemon daemon = Daemon.start(config);
        try {
            String key;
            try (var store = dev.bhatti.server.store.SqliteStore.open(config.dataDir())) {
                key = new dev.bhatti.server.users.Users(store, new dev.bhatti.server.users.ApiKeys(), java.time.Clock.systemUTC())
                        .create("twenty", new dev.bhatti.server.store.Limits(25, 32, 16384, 400_000)).apiKey();
            }
            ServerBench.Api api = new ServerBench.Api(daemon.port(), key);
            long t = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                check(api.post("/sandboxes", "{\"name\":\"m" + i + "\"}"), 201);
                if (i >= 2) {
                    check(api.post("/sandboxes/m" + i + "/stop", ""), 200);
                }
            }
            System.out.printf("%n20 sandboxes (18 created and stopped, 2 hot) in %.1f s%n", (System.nanoTime() - t) / 1e9);
            Thread.sleep(3000);
            List<Long> qemus = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(c -> c.contains("qemu-system") && c.contains(dir.toString()))
                            .orElse(false)).map(ProcessHandle::pid).toList();
            long qemuKb = 0;
            for (long pid : qemus) {
                qemuKb += status(pid).get("VmRSS");
            }
            long daemonKb = status(ProcessHandle.current().pid()).get("VmRSS");
            System.out.printf("QEMU processes: %d, their RSS %d MiB; daemon JVM (this process, bench included) RSS %d MiB; "
                    + "total %d MiB (target <= 2048)%n", qemus.size(), qemuKb / 1024, daemonKb / 1024, (qemuKb + daemonKb) / 1024);
            for (int i = 0; i < 20; i++) {
                check(api.delete("/sandboxes/m" + i), 200);
            }
        } finally {
            daemon.close();
        }
    }

    private static QemuEngine engine(Path data, String range, Accel accel) throws IOException {
        Files.createDirectories(data);
        return new QemuEngine(data, GuestImages.fromCache(),
                NetworkMode.netns(new SandboxNetworks(HostCommands.local(), range, data)), accel);
    }

    private static long qemuPid(QemuEngine engine, String id) {
        List<Long> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> p.info().commandLine().ifPresent(c -> {
            if (c.contains("qemu-system") && c.contains("/" + id + "/")) {
                found.add(p.pid());
            }
        }));
        if (found.size() != 1) {
            throw new IllegalStateException("expected one QEMU for " + id + ", found " + found);
        }
        return found.getFirst();
    }

    /** The kB fields of /proc/PID/status. */
    private static Map<String, Long> status(long pid) throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.endsWith(" kB")) {
                out.put(line.substring(0, line.indexOf(':')), Long.parseLong(line.replaceAll("[^0-9]", "")));
            }
        }
        return out;
    }
}

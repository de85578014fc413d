package dev.bhatti.bench;

import static dev.bhatti.bench.Measure.deleteTree;

import dev.bhatti.agent.floor.Latencies;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.net.HostCommands;
import dev.bhatti.engine.net.SandboxNetworks;
import dev.bhatti.engine.qemu.GuestImages;
import dev.bhatti.engine.qemu.NetworkMode;
import dev.bhatti.engine.qemu.QemuEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Boot to agent ready on the boot path (issue 13, item 3): N creates by boot (no image snapshot),
 * in netns mode, each split by the guest's own console lines: kernel and initramfs until
 * bhatti-init starts lohar (guest uptime), the JVM until lohar's main, and lohar until it serves.
 *
 * <p>Usage: {@code boot [N]} (default 7).
 */
final class BootBench {
    private static final Pattern STARTING = Pattern.compile("bhatti-init: starting lohar .*\\[([0-9.]+)s]");
    private static final Pattern SERVING = Pattern.compile("since_process_start_ms=(\\d+) since_main_ms=(\\d+)");

    private BootBench() {}

    static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path data = Files.createTempDirectory("bhatti-bench-boot-");
        List<Long> total = new ArrayList<>();
        List<Long> kernel = new ArrayList<>();
        List<Long> jvm = new ArrayList<>();
        List<Long> lohar = new ArrayList<>();
        try (QemuEngine engine = new QemuEngine(data, GuestImages.fromCache(),
                NetworkMode.netns(new SandboxNetworks(HostCommands.local(), "10.216", data)))) {
            for (int i = 0; i < n; i++) {
                String id = "boot-" + i;
                long t = System.nanoTime();
                engine.create(CreateSpec.basic(id));
                total.add(System.nanoTime() - t);
                String console = Files.readString(data.resolve("sandboxes").resolve(id).resolve("serial.log"));
                Matcher starting = STARTING.matcher(console);
                Matcher serving = SERVING.matcher(console);
                if (starting.find() && serving.find()) {
                    kernel.add((long) (Double.parseDouble(starting.group(1)) * 1e9));
                    long sinceStart = Long.parseLong(serving.group(1));
                    long sinceMain = Long.parseLong(serving.group(2));
                    jvm.add((sinceStart - sinceMain) * 1_000_000);
                    lohar.add(sinceMain * 1_000_000);
                }
                engine.destroy(id);
            }
        } finally {
            SandboxNetworks.removeAllOf(data);
            deleteTree(data);
        }
        System.out.printf("boot bench: %d creates by boot, netns, 1 vCPU, 512 MiB; ms%n", n);
        System.out.printf("%-52s %s%n", "stage", Latencies.HEADER);
        print("create -> agent ready (engine, QEMU launch included)", total);
        print("  guest uptime when bhatti-init starts lohar", kernel);
        print("  lohar's JVM: process start -> main", jvm);
        print("  lohar: main -> serving (config, setup, listeners)", lohar);
    }

    private static void print(String what, List<Long> nanos) {
        System.out.printf("%-52s %s%n", what, new Latencies(nanos.stream().mapToLong(Long::longValue).toArray()).row());
    }
}

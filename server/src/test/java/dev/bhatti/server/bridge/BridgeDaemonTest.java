package dev.bhatti.server.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bhatti.engine.net.HostCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The daemon in bridge mode ({@code network: bridge}) with real VMs, run by {@link
 * BridgeDaemonDriver} in a child JVM inside a network namespace of this test's own; every check it
 * reports is asserted here. Nothing leaves that namespace.
 */
class BridgeDaemonTest {
    private static String netns;
    private static Path dir;
    private static String output = "";
    private static Map<String, Boolean> results = Map.of();

    @BeforeAll
    static void runDriver() throws Exception {
        netns = "bhatti-t-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        HostCommands.Result made = HostCommands.local().attempt("create namespace", "", List.of("ip", "netns", "add", netns));
        assumeTrue(made.ok(), () -> "skipped: this machine cannot create a network namespace (ip netns add exited "
                + made.exit() + ": " + made.output().strip() + ")");
        HostCommands.in(netns).run("bring up loopback", List.of("ip", "link", "set", "lo", "up"));
        dir = Files.createTempDirectory("bhatti-daemon-test-bridge-");
        Path log = dir.resolve("driver.log");
        Process driver = new ProcessBuilder(List.of("ip", "netns", "exec", netns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), BridgeDaemonDriver.class.getName(), dir.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!driver.waitFor(10, TimeUnit.MINUTES)) {
                driver.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            endLeftoverVmms();
        }
        output = Files.readString(log);
        results = output.lines().filter(l -> l.startsWith("RESULT ")).map(l -> l.split(" "))
                .collect(Collectors.toMap(f -> f[1], f -> Boolean.parseBoolean(f[2])));
    }

    /** VMMs of this test's data dir that a failed driver left, ended by pid. */
    private static void endLeftoverVmms() {
        String data = dir.toString();
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains("qemu-system") && c.contains(data)).orElse(false))
                .forEach(p -> {
                    p.destroyForcibly();
                    p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
                });
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (netns == null) {
            return;
        }
        HostCommands.local().attempt("delete namespace", "", List.of("ip", "netns", "del", netns));
        if (dir != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"ipsShownPerUserSubnet,true", "sameUserTcp,true", "otherUserTcp,false", "apiPortFromVm,false",
            "execAfterStop,true", "orphanTapRemovedAtStart,true", "execAfterRestart,true", "tapsRemovedAtDestroy,true"})
    void check(String name, boolean expected) {
        assertThat(results).as("driver output:\n%s", output).containsEntry(name, expected);
    }
}

package dev.bhatti.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bridge mode with real VMs: {@link BridgeVmDriver} runs a bridge-mode engine in a child JVM inside
 * a network namespace of this test's own, and each check it reports is asserted here.
 */
class BridgeVmTest {
    /** One check of the driver and the answer it must give. */
    record Check(String name, boolean expected) {
        @Override
        public String toString() {
            return name + " = " + expected;
        }
    }

    static List<Check> checks() {
        return List.of(new Check("addressOfA1", true), new Check("sameUserPing", true), new Check("sameUserTcp", true),
                new Check("otherUserPing", false), new Check("otherUserTcp", false),
                new Check("hostApiFromHost", true), new Check("hostApiFromVm", false),
                new Check("tapKeptWhileStopped", true), new Check("hostToGuestAfterStart", true),
                new Check("sameUserTcpAfterStart", true), new Check("tapRemovedAtDestroy", true),
                new Check("orphanRemoved", true), new Check("knownTapsKept", true), new Check("addressReused", true),
                new Check("forksHaveTheNextFreeAddresses", true), new Check("forkHasItsOwnAddress", true), new Check("forkHasItsOwnMac", true),
                new Check("forkKeepsTheParentsProcess", true), new Check("forkReachesItsSibling", true),
                new Check("forkReachesItsParent", true), new Check("parentReachesItsFork", true),
                new Check("parentKeepsItsAddress", true), new Check("forkAfterColdStopAndStart", true),
                new Check("checkpointCopyHasItsOwnAddress", true), new Check("rollbackKeepsTheAddress", true),
                new Check("noIdentityPathLeft", true), new Check("snapshotCreateHasItsOwnAddress", true),
                new Check("bridgeDnsResolves", true), new Check("bridgeOutsideOpenByDefault", true),
                new Check("bridgeDenyOutLive", true), new Check("bridgeDenialAudited", true),
                new Check("bridgeAllowedDomainReached", true), new Check("bridgeBlockAllClosesTheRest", true),
                new Check("bridgeDnsRefusedUnderBlockAll", true));
    }

    private static Netns ns;
    private static Path dataDir;
    private static String output = "";
    private static Map<String, Boolean> results = Map.of();

    @BeforeAll
    static void runDriver() throws Exception {
        ns = Netns.create();
        // "The outside": a namespace off the test's own, with listeners the guests may or may not reach.
        HostCommands outside = ns.outside("out", "198.51.100.1", BridgeVmDriver.OUTSIDE);
        ns.listen(outside, 8080);
        ns.listen(outside, 8081);
        // Short: the image snapshot's build directory holds a QMP socket (a Unix path: 107 bytes at most).
        dataDir = Files.createTempDirectory("bhatti-engine-test-br");
        Path log = dataDir.resolve("driver.log");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), BridgeVmDriver.class.getName(),
                dataDir.resolve("d").toString(), "br" + ProcessHandle.current().pid()));
        Process driver = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!driver.waitFor(10, TimeUnit.MINUTES)) {
                driver.destroyForcibly();
                driver.waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            endLeftoverVmms();
        }
        output = Files.readString(log);
        results = output.lines().filter(l -> l.startsWith("RESULT ")).map(l -> l.split(" "))
                .collect(Collectors.toMap(f -> f[1], f -> Boolean.parseBoolean(f[2])));
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try {
            endLeftoverVmms();
            if (dataDir != null) {
                try (Stream<Path> all = Files.walk(dataDir)) {
                    for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } finally {
            if (ns != null) {
                ns.close();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("checks")
    void bridgeModeWithRealVms(Check check) {
        assertThat(results).as("driver output:\n%s", output).containsKey(check.name());
        assertThat(results.get(check.name())).as("%s; driver output:\n%s", check.name(), output).isEqualTo(check.expected());
    }

    /** QEMU processes of this test's data directory, ended by pid (the driver ends them itself unless it was killed). */
    private static void endLeftoverVmms() {
        if (dataDir == null) {
            return;
        }
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("qemu-system") && c.contains(dataDir.toString()))
                        .orElse(false))
                .forEach(p -> {
                    p.destroyForcibly();
                    p.onExit().join();
                });
    }
}

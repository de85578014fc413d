package dev.bhatti.engine.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.client.ExecResult;
import dev.bhatti.engine.Copies;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.StartedFrom;
import dev.bhatti.engine.net.HostCommands;
import dev.bhatti.engine.net.SandboxNetworks;
import dev.bhatti.proto.ExecRequest;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default network (a namespace per sandbox) with real VMs: a guest reaches the outside (a
 * namespace of this test's own standing in for it) and nothing of the host: not its gateway, not
 * any host address, not the host's loopback services, not another sandbox's agent, not link-local
 * metadata, not private networks. Also after a restore and in a fork.
 */
class NetnsModeTest {
    private static final String OUTSIDE = "198.51.100.2";
    private static final String PRIVATE_OUTSIDE = "10.99.0.2";
    private static final int OUTSIDE_PORT = 8080;
    private static Path dataDir;
    private static QemuEngine engine;
    private static SandboxNetworks networks;
    private static String outsideNs;
    private static String outsideVeth;
    private static Process outsideListener;
    private static ServerSocket hostService;
    private static ServerSocket loopbackService;
    private static dev.bhatti.engine.net.dns.TestDnsServer dns;
    private static String a;
    private static String b;

    @BeforeAll
    static void start() throws Exception {
        String hex = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        outsideNs = "bhatti-t-out-" + hex;
        outsideVeth = "bhto" + hex;
        HostCommands host = HostCommands.local();
        host.run("outside namespace", List.of("ip", "netns", "add", outsideNs));
        host.run("outside veth", List.of("ip", "link", "add", outsideVeth, "type", "veth", "peer", "name", "eth0", "netns", outsideNs));
        host.feed("host side", "addr add 198.51.100.1/24 dev " + outsideVeth + "\naddr add 10.99.0.1/24 dev " + outsideVeth
                + "\nlink set " + outsideVeth + " up\n", List.of("ip", "-batch", "-"));
        host.feed("outside side", "link set lo up\naddr add " + OUTSIDE + "/24 dev eth0\naddr add " + PRIVATE_OUTSIDE
                + "/24 dev eth0\nlink set eth0 up\n", List.of("ip", "-n", outsideNs, "-batch", "-"));
        outsideListener = new ProcessBuilder("ip", "netns", "exec", outsideNs, "busybox", "nc", "-ll", "-p",
                String.valueOf(OUTSIDE_PORT), "-e", "/bin/true").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        hostService = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"));
        loopbackService = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        dataDir = Files.createTempDirectory("bhatti-engine-test-ns");
        dns = new dev.bhatti.engine.net.dns.TestDnsServer(Map.of("svc.bhatti.test", OUTSIDE, "other.bhatti.test", OUTSIDE));
        networks = new SandboxNetworks(host, "10.213", dataDir, List.of(dns.address()));
        engine = new QemuEngine(dataDir, GuestImages.fromCache(), NetworkMode.netns(networks));
        a = engine.create(CreateSpec.basic(EngineFixture.newId("ns-a"))).id();
        b = engine.create(CreateSpec.basic(EngineFixture.newId("ns-b"))).id();
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (engine != null) {
                engine.close();
            }
            ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                    .map(c -> c.contains("qemu-system") && dataDir != null && c.contains(dataDir.toString())).orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
            if (networks != null) {
                networks.removeOrphans(Set.of());
            }
        } finally {
            if (outsideListener != null) {
                outsideListener.destroyForcibly();
            }
            HostCommands.local().attempt("delete outside", "", List.of("ip", "netns", "delete", outsideNs));
            hostService.close();
            if (dns != null) {
                dns.close();
            }
            loopbackService.close();
            if (dataDir != null) {
                try (Stream<Path> all = Files.walk(dataDir)) {
                    for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /** Tries every target from the guest at once; answers name → reached. */
    private static Map<String, Boolean> probe(String id, Map<String, String> targets) throws IOException {
        StringBuilder script = new StringBuilder();
        targets.forEach((name, target) -> {
            String[] hp = target.split(":");
            script.append("( timeout 3 bash -c 'exec 3<>/dev/tcp/").append(hp[0]).append('/').append(hp[1])
                    .append("' 2>/dev/null && echo '").append(name).append(" open' || echo '").append(name)
                    .append(" closed' ) &\n");
        });
        script.append("wait\n");
        ExecResult r = engine.agent(id).exec(ExecRequest.of("bash", "-c", script.toString()));
        Map<String, Boolean> reached = new LinkedHashMap<>();
        r.stdout().lines().map(l -> l.split(" ")).forEach(f -> reached.put(f[0], f[1].equals("open")));
        return reached;
    }

    private static Map<String, String> hostTargets(String id) throws IOException {
        int port = hostService.getLocalPort();
        Map<String, String> t = new LinkedHashMap<>();
        t.put("gateway", "10.0.2.2:" + port);
        t.put("slirp-host-alias", "10.0.2.2:" + loopbackService.getLocalPort());
        t.put("dns-address", "10.0.2.3:53");
        t.put("metadata", "169.254.169.254:80");
        t.put("other-sandbox-agent", agentAddress(id.equals(a) ? b : a) + ":1024");
        t.put("own-namespace", agentAddress(id) + ":1024");
        t.put("private-outside", PRIVATE_OUTSIDE + ":" + OUTSIDE_PORT);
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
            for (InetAddress addr : nif.inetAddresses().toList()) {
                if (addr instanceof Inet4Address && !addr.isLoopbackAddress()) {
                    t.put("host-" + nif.getName() + "-" + addr.getHostAddress(), addr.getHostAddress() + ":" + port);
                }
            }
        }
        return t;
    }

    private static String agentAddress(String id) {
        return engine.agent(id).transport().toString().replaceAll(".*?(\\d+\\.\\d+\\.\\d+\\.\\d+).*", "$1");
    }

    private static void assertIsolatedAndOutbound(String id) throws IOException {
        Map<String, String> targets = hostTargets(id);
        targets.put("outside", OUTSIDE + ":" + OUTSIDE_PORT);
        for (Map.Entry<String, String> target : targets.entrySet()) {
            if (target.getKey().startsWith("host-")) {
                try (Socket s = new Socket()) {
                    // The service answers on this address from the host itself.
                    s.connect(new InetSocketAddress(target.getValue().split(":")[0], hostService.getLocalPort()), 2000);
                }
            }
        }
        Map<String, Boolean> reached = probe(id, targets);
        System.out.println("event=isolation_probes sandbox=" + id + " reached=" + reached);
        assertThat(reached).as("probes answered").hasSize(targets.size());
        assertThat(reached.get("outside")).as("the outside world is reachable (the probe works)").isTrue();
        Map<String, Boolean> host = new LinkedHashMap<>(reached);
        host.remove("outside");
        assertThat(host).as("nothing of the host, another sandbox or a private network is reachable from " + id)
                .allSatisfy((name, open) -> assertThat(open).as(name).isFalse());
    }

    @Test
    void aGuestReachesTheOutsideAndNothingOfTheHost() throws Exception {
        assertIsolatedAndOutbound(a);
        assertIsolatedAndOutbound(b);
    }

    @Test
    void aGuestResolvesNamesThroughTheHostsRelay() throws Exception {
        ExecResult found = engine.agent(a).exec(ExecRequest.of("getent", "hosts", "svc.bhatti.test"));
        assertThat(found.stdout()).as("the test resolver's answer, relayed").startsWith(OUTSIDE + " ").contains("svc.bhatti.test");
        assertThat(engine.agent(a).exec(ExecRequest.of("bash", "-c",
                "timeout 3 bash -c 'exec 3<>/dev/tcp/svc.bhatti.test/" + OUTSIDE_PORT + "' && echo reached")).stdout())
                .isEqualTo("reached\n");
        assertThat(engine.agent(a).exec(ExecRequest.of("getent", "hosts", "nowhere.bhatti.test")).exitCode())
                .as("an unknown name is not found").isNotZero();
        assertThat(dns.asked()).contains("svc.bhatti.test", "nowhere.bhatti.test");
    }

    /** Whether {@code target} (host:port) is reached from the guest within 3 s. */
    private static boolean reaches(String id, String target) throws IOException {
        String[] hp = target.split(":");
        return engine.agent(id).exec(ExecRequest.of("bash", "-c", "timeout 3 bash -c 'exec 3<>/dev/tcp/" + hp[0] + "/"
                + hp[1] + "' 2>/dev/null && echo reached")).stdout().equals("reached\n");
    }

    @Test
    void anAllowListOpensOnlyItsDomainsAndRangesAndAChangeAppliesLive() throws Exception {
        String c = EngineFixture.newId("ns-policy");
        engine.egress(c, dev.bhatti.engine.net.EgressPolicy.parse(
                List.of("svc.bhatti.test:" + OUTSIDE_PORT, "10.99.0.0/24"), List.of(), true));
        engine.create(CreateSpec.basic(c));
        try {
            assertThat(reaches(c, OUTSIDE + ":" + OUTSIDE_PORT)).as("block_all: an address no rule opened").isFalse();
            assertThat(reaches(c, "svc.bhatti.test:" + OUTSIDE_PORT)).as("an allowed domain, by name").isTrue();
            assertThat(reaches(c, PRIVATE_OUTSIDE + ":" + OUTSIDE_PORT)).as("an allowed private range").isTrue();
            assertThat(engine.agent(c).exec(ExecRequest.of("getent", "hosts", "other.bhatti.test")).exitCode())
                    .as("block_all: a name no rule allows is not resolved").isNotZero();
            assertThat(reaches(c, "10.0.2.2:" + hostService.getLocalPort())).as("the host stays closed").isFalse();

            engine.egress(c, dev.bhatti.engine.net.EgressPolicy.parse(List.of(), List.of("198.51.100.0/24"), false));
            assertThat(reaches(c, "svc.bhatti.test:" + OUTSIDE_PORT)).as("deny_out, set live").isFalse();
            assertThat(reaches(c, PRIVATE_OUTSIDE + ":" + OUTSIDE_PORT)).as("private ranges closed again").isFalse();
            engine.egress(c, dev.bhatti.engine.net.EgressPolicy.OPEN);
            assertThat(reaches(c, OUTSIDE + ":" + OUTSIDE_PORT)).as("open again").isTrue();
        } finally {
            engine.destroy(c);
        }
    }

    @Test
    void tenConcurrentExecsOnOneSandboxAreAllServed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<ExecResult>> runs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                runs.add(pool.submit(() -> engine.agent(a).exec(ExecRequest.of("echo", "run" + n))));
            }
            for (int i = 0; i < 10; i++) {
                assertThat(runs.get(i).get(60, TimeUnit.SECONDS).stdout()).isEqualTo("run" + i + "\n");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRestoredSandboxAndAForkKeepTheSameNetwork() throws Exception {
        engine.stop(b);
        assertThat(engine.start(b, false)).isEqualTo(StartedFrom.SNAPSHOT);
        assertIsolatedAndOutbound(b);
        String child = EngineFixture.newId("ns-kid");
        engine.fork(b, List.of(new Copies.Child(child, child)), "default");
        try {
            assertThat(agentAddress(child)).as("a fork has a namespace of its own").isNotEqualTo(agentAddress(b));
            assertIsolatedAndOutbound(child);
        } finally {
            engine.destroy(child);
        }
        assertThat(Files.exists(Path.of("/run/netns", networks.netnsFor(child)))).as("destroy removes the namespace").isFalse();
    }
}

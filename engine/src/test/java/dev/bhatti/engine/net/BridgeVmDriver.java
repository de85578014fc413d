package dev.bhatti.engine.net;

import dev.bhatti.client.ExecResult;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.qemu.GuestImages;
import dev.bhatti.engine.qemu.NetworkMode;
import dev.bhatti.engine.qemu.QemuEngine;
import dev.bhatti.proto.ExecRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Run by {@link BridgeVmTest} in a child JVM inside the test's network namespace ({@code ip netns
 * exec}): a bridge-mode engine with three real VMs (two of alice's, one of bob's) and a stand-in
 * for the daemon's API port. Prints one {@code RESULT <check> <true|false>} line per check for the
 * test to assert on; VMMs are ended before it exits.
 */
public final class BridgeVmDriver {
    /** Sends one ICMP echo over a raw socket and waits 2 s for the reply (the guest image has no ping). */
    private static final String PING = """
            import os, socket, struct, sys
            def cs(b):
                s = sum(struct.unpack('!%dH' % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16
                return ~s & 0xffff
            ident = os.getpid() & 0xffff
            head = struct.pack('!BBHHH', 8, 0, 0, ident, 1) + b'bhattiping'
            pkt = struct.pack('!BBHHH', 8, 0, cs(head), ident, 1) + b'bhattiping'
            s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); s.settimeout(2)
            s.sendto(pkt, (sys.argv[1], 0))
            while True:
                d, a = s.recvfrom(1500)
                if a[0] == sys.argv[1] and d[20] == 0: sys.exit(0)
            """;

    /** The outside host {@link BridgeVmTest} hangs off its namespace, listening on 8080 and 8081. */
    static final String OUTSIDE = "198.51.100.2";

    private final QemuEngine engine;
    private final List<dev.bhatti.engine.net.EgressAudit.Event> audited = new java.util.concurrent.CopyOnWriteArrayList<>();

    private BridgeVmDriver(QemuEngine engine) {
        this.engine = engine;
    }

    /** {@code args[0]}: the data directory; {@code args[1]}: the id prefix. */
    public static void main(String[] args) throws Exception {
        dev.bhatti.engine.net.dns.TestDnsServer dns = new dev.bhatti.engine.net.dns.TestDnsServer(
                java.util.Map.of("svc.bhatti.test", OUTSIDE, "other.bhatti.test", OUTSIDE));
        BridgeNetwork network = new BridgeNetwork(HostCommands.local(), "10.200", List.of(dns.address()));
        try (dns; QemuEngine engine = new QemuEngine(Path.of(args[0]), GuestImages.fromCache(), NetworkMode.bridge(network));
             ServerSocket api = new ServerSocket(0)) {
            new BridgeVmDriver(engine).run(network, args[1], api.getLocalPort());
        }
        System.out.println("DONE");
    }

    private void run(BridgeNetwork network, String prefix, int apiPort) throws IOException {
        String a1 = prefix + "-a1", a2 = prefix + "-a2", b1 = prefix + "-b1";
        engine.create(CreateSpec.basic(a1), "alice");
        engine.create(CreateSpec.basic(a2), "alice");
        engine.create(CreateSpec.basic(b1), "bob");
        String ipA1 = "10.200.0.2", ipA2 = "10.200.0.3", ipB1 = "10.200.1.2", gateway = "10.200.0.1";
        engine.egressEvents(audited::add);
        egress(b1);
        result("addressOfA1", sh(a1, "ip -4 -o addr show dev eth0").contains(ipA1 + "/24"));
        result("sameUserPing", ping(a1, ipA2));
        result("sameUserTcp", tcp(a2, ipA1, 1024));
        result("otherUserPing", ping(b1, ipA1));
        result("otherUserTcp", tcp(b1, ipA2, 1024));
        result("hostApiFromHost", tcpFromHere(gateway, apiPort));
        result("hostApiFromVm", tcp(a1, gateway, apiPort));

        engine.stop(a1);
        result("tapKeptWhileStopped", network.taps().exists(Taps.nameFor(a1)));
        network.taps().delete(Taps.nameFor(a1));
        engine.start(a1, false);
        result("hostToGuestAfterStart", engine.agent(a1).exec(ExecRequest.of("true")).exitCode() == 0);
        result("sameUserTcpAfterStart", tcp(a2, ipA1, 1024));

        engine.destroy(a2);
        result("tapRemovedAtDestroy", !network.taps().exists(Taps.nameFor(a2)));
        network.taps().ensure(Taps.nameFor("ghost"), "bhbr0");
        result("orphanRemoved", engine.removeOrphanNetworkDevices().equals(List.of(Taps.nameFor("ghost"))));
        result("knownTapsKept", Set.copyOf(network.taps().list()).equals(Set.of(Taps.nameFor(a1), Taps.nameFor(b1))));
        engine.create(CreateSpec.basic(prefix + "-a3"), "alice");
        result("addressReused", sh(prefix + "-a3", "ip -4 -o addr show dev eth0").contains(ipA2 + "/24"));
        copies(network, prefix, a1, ipA1);
    }

    /** Forks and checkpoints in bridge mode: each copy gets its own address and MAC, and the source keeps its own. */
    private void copies(BridgeNetwork network, String prefix, String a1, String ipA1) throws IOException {
        sh(a1, "setsid sh -c 'echo $$ > /workspace/keeper; while :; do sleep 1; done' > /dev/null 2>&1 < /dev/null &");
        String macA1 = sh(a1, "cat /sys/class/net/eth0/address");
        List<String> kids = List.of(prefix + "-k1", prefix + "-k2");
        var forked = engine.fork(a1, kids.stream().map(k -> new dev.bhatti.engine.Copies.Child(k, k)).toList(), "alice");
        // The children take their leases in parallel: either may have .4.
        String ipK1 = forked.children().get(0).ip().orElseThrow(), ipK2 = forked.children().get(1).ip().orElseThrow();
        result("forksHaveTheNextFreeAddresses", java.util.Set.of(ipK1, ipK2).equals(java.util.Set.of("10.200.0.4", "10.200.0.5")));
        result("forkHasItsOwnAddress", sh(kids.get(0), "ip -4 -o addr show dev eth0").contains(ipK1 + "/24")
                && !sh(kids.get(0), "ip -4 -o addr show dev eth0").contains(ipA1 + "/"));
        result("forkHasItsOwnMac", !sh(kids.get(1), "cat /sys/class/net/eth0/address").equals(macA1)
                && !sh(kids.get(1), "cat /sys/class/net/eth0/address").equals(sh(kids.get(0), "cat /sys/class/net/eth0/address")));
        result("forkKeepsTheParentsProcess", sh(kids.get(1), "kill -0 $(cat /workspace/keeper) && echo alive").equals("alive\n"));
        result("forkReachesItsSibling", tcp(kids.get(0), ipK2, 1024));
        result("forkReachesItsParent", tcp(kids.get(1), ipA1, 1024));
        result("parentReachesItsFork", tcp(a1, ipK1, 1024));
        result("parentKeepsItsAddress", sh(a1, "ip -4 -o addr show dev eth0").contains(ipA1 + "/24")
                && sh(a1, "cat /sys/class/net/eth0/address").equals(macA1));
        engine.stop(kids.get(0));
        engine.start(kids.get(0), false);
        result("forkAfterColdStopAndStart", sh(kids.get(0), "ip -4 -o addr show dev eth0").contains(ipK1 + "/24")
                && tcp(kids.get(0), ipA1, 1024));

        engine.checkpoint(a1, "cp-" + prefix);
        sh(a1, "echo later > /workspace/later");
        String made = prefix + "-from-cp";
        engine.createFromCheckpoint("cp-" + prefix, new dev.bhatti.engine.Copies.Child(made, made), "alice");
        result("checkpointCopyHasItsOwnAddress", sh(made, "ip -4 -o addr show dev eth0").contains("10.200.0.6/24")
                && tcp(made, ipA1, 1024));
        engine.restoreCheckpoint(a1, "cp-" + prefix);
        result("rollbackKeepsTheAddress", sh(a1, "ip -4 -o addr show dev eth0; test -e /workspace/later || echo rolled-back")
                .contains(ipA1 + "/24") && tcp(a1, ipK1, 1024) && sh(a1, "test -e /workspace/later || echo back").equals("back\n"));
        HostCommands host = HostCommands.local();
        result("noIdentityPathLeft", !host.run("list nft tables", List.of("nft", "list", "tables")).contains("bhid_")
                && !host.run("list rules", List.of("ip", "rule", "show")).contains("1100:"));
        engine.deleteCheckpoint("cp-" + prefix);

        engine.prepareImageSnapshot(1, 512);
        String s1 = prefix + "-s1";
        var made1 = engine.create(CreateSpec.basic(s1), "alice");
        result("snapshotCreateHasItsOwnAddress", made1.createdFrom() == dev.bhatti.engine.CreatedFrom.SNAPSHOT
                && sh(s1, "ip -4 -o addr show dev eth0").contains("10.200.0.7/24")
                && !sh(s1, "cat /sys/class/net/eth0/address").equals(macA1)
                && tcp(s1, ipA1, 1024) && tcp(a1, "10.200.0.7", 1024));
    }

    /** Egress policy, DNS and the audit in bridge mode (decision 0024), on bob's sandbox. */
    private void egress(String b1) throws IOException {
        result("bridgeDnsResolves", sh(b1, "getent hosts svc.bhatti.test").startsWith(OUTSIDE + " "));
        result("bridgeOutsideOpenByDefault", tcp(b1, OUTSIDE, 8080));
        engine.egress(b1, EgressPolicy.parse(List.of(), List.of("198.51.100.0/24"), false));
        result("bridgeDenyOutLive", !tcp(b1, OUTSIDE, 8080));
        long deadline = System.nanoTime() + 10_000_000_000L;
        boolean seen = false;
        while (!seen && System.nanoTime() < deadline) {
            seen = audited.stream().anyMatch(e -> e.sandboxId().equals(b1) && !e.allowed() && e.address().equals(OUTSIDE)
                    && Integer.valueOf(8080).equals(e.port()) && e.protocol().equals("tcp"));
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        }
        result("bridgeDenialAudited", seen);
        engine.egress(b1, EgressPolicy.parse(List.of("svc.bhatti.test:8080"), List.of(), true));
        result("bridgeAllowedDomainReached", tcp(b1, "svc.bhatti.test", 8080));
        result("bridgeBlockAllClosesTheRest", !tcp(b1, OUTSIDE, 8081));
        result("bridgeDnsRefusedUnderBlockAll", engine.agent(b1).exec(ExecRequest.of("getent", "hosts", "other.bhatti.test"))
                .exitCode() != 0);
        engine.egress(b1, EgressPolicy.OPEN);
    }

    private String sh(String id, String script) throws IOException {
        return engine.agent(id).exec(ExecRequest.of("sh", "-c", script)).stdout();
    }

    private boolean ping(String from, String address) throws IOException {
        ExecResult r = engine.agent(from).exec(ExecRequest.of("sudo", "-n", "python3", "-c", PING, address));
        return r.exitCode() == 0;
    }

    private boolean tcp(String from, String address, int port) throws IOException {
        ExecResult r = engine.agent(from).exec(ExecRequest.of("timeout", "3", "bash", "-c",
                "exec 3<>/dev/tcp/" + address + "/" + port));
        return r.exitCode() == 0;
    }

    private static boolean tcpFromHere(String address, int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(address, port), 3000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void result(String check, boolean ok) {
        System.out.println("RESULT " + check + " " + ok);
        System.out.flush();
    }
}

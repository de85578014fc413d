package dev.bhatti.engine.net;

import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.net.dns.DnsRelay;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The default network (decision 0023): a network namespace per sandbox. QEMU runs inside it on a
 * TAP ({@code tap0}, 10.0.2.2/24, the guest's gateway), so every guest has the same address
 * (10.0.2.15) and copies restored from snapshots need no renumbering. A veth pair joins the
 * namespace to the host: {@code up0} inside, {@code bhv…} on the host, a /30 out of {@code range}
 * (10.213 → 10.213.0.0/16), unique on the host. The namespace's own nftables table
 * ({@link NetnsRules}) forwards the agent's ports to the guest, masquerades the guest's traffic and
 * decides what it may reach; the host's table ({@link #HOST_TABLE}) drops anything a veth sends to
 * the host itself or to another sandbox. Host-to-agent connections are the kernel's: no listener
 * with a backlog of 1 in the way.
 */
public final class SandboxNetworks implements AutoCloseable {
    /** Host-side veth names start with this. */
    public static final String VETH_PREFIX = "bhv";
    /** Every namespace name starts with this, then the data dir's tag. */
    public static final String NETNS_PREFIX = "bhatti-";
    static final String HOST_TABLE = "bhatti_netns";
    private static final Path NETNS_DIR = Path.of("/run/netns");
    private static final Path LOCK = Path.of("/run/bhatti/netns.lock");
    private static final Object JVM_LOCK = new Object();

    /** One sandbox's namespace and the two ends of its veth. */
    public record Lease(String netns, String veth, String hostAddress, String nsAddress) {}

    private final HostCommands host;
    private final String range;
    private final String tag;
    private final DnsRelay dns;
    private final Egress egress;
    private final EgressAudit audit = new EgressAudit();

    /**
     * @param range   the first two octets of the /16 the veth /30s come from, e.g. {@code 10.213}
     * @param dataDir the engine's data dir: its hash scopes namespace names, so engines sharing a
     *                host never remove each other's namespaces as orphans
     */
    public SandboxNetworks(HostCommands host, String range, Path dataDir) {
        this(host, range, dataDir, DnsRelay.systemUpstreams());
    }

    /** @param dnsUpstreams the resolvers the guests' queries are relayed to ({@link DnsRelay}) */
    public SandboxNetworks(HostCommands host, String range, Path dataDir, List<InetSocketAddress> dnsUpstreams) {
        this.host = host;
        this.range = range;
        this.dns = new DnsRelay(dnsUpstreams);
        this.egress = new Egress(audit);
        dns.hook(egress);
        audit.domains(egress::domainOf);
        this.tag = tagOf(dataDir);
        host.run("enable IPv4 forwarding", List.of("sysctl", "-qw", "net.ipv4.ip_forward=1"));
        host.feed("apply nftables table inet " + HOST_TABLE, hostRules(range), List.of("nft", "-f", "-"));
        // The namespaces' egress decisions are kernel log lines (the audit log): allow logging there.
        host.attempt("log from network namespaces", "", List.of("sysctl", "-qw", "net.netfilter.nf_log_all_netns=1"));
        audit.start();
    }

    private static String vethFor(String netns) {
        return VETH_PREFIX + hash(netns).substring(0, 12);
    }

    /** The namespace name of sandbox {@code id} in this engine. */
    public String netnsFor(String id) {
        return NETNS_PREFIX + tag + "-" + hash(id).substring(0, 12);
    }

    /** Creates the namespace of {@code id} with a free /30; {@link EngineException.PoolExhausted} when none is. */
    public Lease create(String id) {
        String netns = netnsFor(id);
        String veth = vethFor(netns);
        Lease lease = underHostLock("network namespace of " + id, () -> {
            int slot = freeSlot();
            Lease l = new Lease(netns, veth, address(slot, 1), address(slot, 2));
            build(id, l);
            return l;
        });
        dns.open(id, lease.hostAddress());
        return lease;
    }

    /**
     * Rebuilds sandbox {@code id}'s namespace when it is gone (host reboot, an engine close, removed
     * by hand) and serves its DNS; false when the namespace was there.
     */
    public boolean ensure(String id, Lease lease) {
        boolean built = !Files.exists(NETNS_DIR.resolve(lease.netns()));
        if (built) {
            underHostLock("network namespace " + lease.netns(), () -> {
                build(id, lease);
                return lease;
            });
        } else {
            egress.attach(id, target(lease));
        }
        dns.open(id, lease.hostAddress());
        return built;
    }

    /**
     * Runs {@code work} holding the host-wide lock (this JVM's and {@link #LOCK}'s, created after a
     * reboot emptied /run), so two engines never pick the same /30.
     */
    private static <T> T underHostLock(String what, java.util.function.Supplier<T> work) {
        synchronized (JVM_LOCK) {
            try {
                Files.createDirectories(LOCK.getParent());
                try (FileChannel ch = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = ch.lock()) {
                    return work.get();
                }
            } catch (IOException e) {
                throw new EngineException.VmmFailed(what + ": " + e.getMessage(), e);
            }
        }
    }

    /** A recovered sandbox: its DNS is served again when its namespace is still there (its VM may run on). */
    public void recovered(String id, Lease lease) {
        if (Files.exists(NETNS_DIR.resolve(lease.netns()))) {
            dns.open(id, lease.hostAddress());
            egress.attach(id, target(lease));
        }
    }

    /** The relay of the guests' DNS queries. */
    public DnsRelay dns() {
        return dns;
    }

    /** The egress audit log's source. */
    public EgressAudit audit() {
        return audit;
    }

    /** The egress policies of this engine's sandboxes. */
    public Egress egress() {
        return egress;
    }

    /** Sandbox {@code id} is destroyed: its DNS, policy and namespace (veth and TAP go with it) go; fine when gone. */
    public void delete(String id, String netns) {
        dns.close(id);
        egress.forget(id);
        delete(netns);
    }

    /** Sandbox {@code id}'s VM ended with the engine: its namespace goes, its policy stays for the next build. */
    public void suspend(String id, String netns) {
        dns.close(id);
        egress.detached(id);
        delete(netns);
    }

    /** The key of a sandbox's lines in the kernel log ({@link EgressRules#LOG_PREFIX}): its veth, unique on the host. */
    public static String auditKey(Lease lease) {
        return lease.veth();
    }

    @Override
    public void close() {
        dns.close();
        audit.close();
    }

    private void delete(String netns) {
        if (Files.exists(NETNS_DIR.resolve(netns))) {
            host.attempt("delete network namespace " + netns, "", List.of("ip", "netns", "delete", netns));
        }
    }

    /**
     * Removes every namespace of the engine on {@code dataDir} (tests, after a daemon was killed
     * with its VMs); applies nothing else to the host.
     */
    public static void removeAllOf(Path dataDir) {
        for (String n : namespacesOf(tagOf(dataDir))) {
            HostCommands.local().attempt("delete network namespace " + n, "", List.of("ip", "netns", "delete", n));
        }
    }

    /** Removes this engine's namespaces whose names are not in {@code keep}; returns their names. */
    public List<String> removeOrphans(Set<String> keep) {
        List<String> orphans = namespacesOf(tag).stream().filter(n -> !keep.contains(n)).toList();
        orphans.forEach(this::delete);
        return orphans;
    }

    /** The namespaces of the engine whose data dir has {@code tag}, sorted. */
    private static List<String> namespacesOf(String tag) {
        try (Stream<Path> all = Files.exists(NETNS_DIR) ? Files.list(NETNS_DIR) : Stream.empty()) {
            return all.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(NETNS_PREFIX + tag + "-")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new EngineException.VmmFailed("list network namespaces: " + e.getMessage(), e);
        }
    }

    private static String tagOf(Path dataDir) {
        return hash(dataDir.toAbsolutePath().normalize().toString()).substring(0, 8);
    }

    /** The command prefix that runs a program (QEMU) inside {@code netns}. */
    public static List<String> enter(String netns) {
        return List.of("nsenter", "--net=" + NETNS_DIR.resolve(netns), "--");
    }

    /** Where sandbox {@code id}'s egress policy lives: its namespace's table. */
    private Egress.Target target(Lease l) {
        List<String> nft = new java.util.ArrayList<>(enter(l.netns()));
        nft.addAll(List.of("nft", "-f", "-"));
        return new Egress.Target(NetnsRules.TABLE, auditKey(l), p -> NetnsRules.ruleset(l.hostAddress(), p, auditKey(l)),
                host, nft);
    }

    private void build(String id, Lease l) {
        host.run("create network namespace " + l.netns(), List.of("ip", "netns", "add", l.netns()));
        try {
            host.feed("create veth " + l.veth(), "link add " + l.veth() + " type veth peer name up0 netns " + l.netns() + "\n"
                    + "addr add " + l.hostAddress() + "/30 dev " + l.veth() + "\n"
                    + "link set " + l.veth() + " up\n", List.of("ip", "-batch", "-"));
            host.feed("configure " + l.netns(), "link set lo up\n"
                    + "addr add " + l.nsAddress() + "/30 dev up0\n"
                    + "link set up0 up\n"
                    + "tuntap add dev " + NetnsRules.TAP + " mode tap\n"
                    + "addr add " + NetnsRules.GATEWAY + "/24 dev " + NetnsRules.TAP + "\n"
                    // The guest ARPs for its resolver on the TAP's subnet: the namespace answers.
                    + "addr add " + NetnsRules.RESOLVER + "/32 dev " + NetnsRules.TAP + "\n"
                    + "link set " + NetnsRules.TAP + " up\n"
                    + "route add default via " + l.hostAddress() + "\n", List.of("ip", "-n", l.netns(), "-batch", "-"));
            List<String> inside = new java.util.ArrayList<>(enter(l.netns()));
            inside.addAll(List.of("sh", "-c", "sysctl -qw net.ipv4.ip_forward=1 && nft -f -"));
            host.feed("firewall of " + l.netns(), egress.attach(id, target(l)), inside);
        } catch (RuntimeException e) {
            host.attempt("undo network namespace " + l.netns(), "", List.of("ip", "netns", "delete", l.netns()));
            throw e;
        }
    }

    /** The lowest /30 of the range no host interface holds (called under the host-wide lock). */
    private int freeSlot() {
        String out = host.run("list addresses", List.of("ip", "-o", "-4", "addr", "show"));
        BitSet used = new BitSet();
        used.set(0);
        String prefix = " " + range + ".";
        for (String line : out.lines().toList()) {
            int at = line.indexOf(prefix);
            if (at < 0) {
                continue;
            }
            String[] octets = line.substring(at + 1).split("[/\\s]")[0].split("\\.");
            used.set((Integer.parseInt(octets[2]) * 256 + Integer.parseInt(octets[3])) / 4);
        }
        int slot = used.nextClearBit(1);
        if (slot >= 16384) {
            throw new EngineException.PoolExhausted("no free /30 left in " + range + ".0.0/16 for a sandbox network");
        }
        return slot;
    }

    private String address(int slot, int host) {
        int n = slot * 4 + host;
        return range + "." + (n / 256) + "." + (n % 256);
    }

    static String hostRules(String range) {
        String veths = '"' + VETH_PREFIX + "*\"";
        return "table inet " + HOST_TABLE + "\n"
                + "delete table inet " + HOST_TABLE + "\n"
                + "table inet " + HOST_TABLE + " {\n"
                + "  chain input {\n"
                + "    type filter hook input priority filter - 1; policy accept;\n"
                + "    iifname " + veths + " ct state established,related accept\n"
                + "    iifname " + veths + " udp dport 53 accept\n"
                + "    iifname " + veths + " drop\n"
                + "  }\n"
                + "  chain forward {\n"
                + "    type filter hook forward priority filter - 1; policy accept;\n"
                + "    iifname " + veths + " oifname " + veths + " drop\n"
                + "    oifname " + veths + " ct state established,related accept\n"
                + "    oifname " + veths + " drop\n"
                + "  }\n"
                + "  chain postrouting {\n"
                + "    type nat hook postrouting priority srcnat; policy accept;\n"
                + "    ip saddr " + range + ".0.0/16 oifname != " + veths + " masquerade\n"
                + "  }\n"
                + "}\n";
    }

    static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}

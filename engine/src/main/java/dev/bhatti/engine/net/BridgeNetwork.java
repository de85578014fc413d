package dev.bhatti.engine.net;

import java.util.List;
import java.util.Set;

/**
 * Bridge-mode networking on the host (or inside the namespace {@link HostCommands} runs in): a
 * bridge per user subnet with the gateway address, IPv4 forwarding, bhatti's nftables table, and a
 * TAP per VM. Every step is idempotent, so a daemon restart simply runs them again.
 */
public final class BridgeNetwork {
    private final HostCommands host;
    private final String prefix;
    private final Leases leases;
    private final Taps taps;
    private final Firewall firewall;
    private final IdentityPaths identityPaths;
    private final EgressAudit audit = new EgressAudit();
    private final Egress egress = new Egress(audit);
    private final dev.bhatti.engine.net.dns.DnsRelay dns;
    /** Guest address → sandbox id, for the DNS relay (one socket per bridge). */
    private final java.util.Map<String, String> guests = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param prefix the first two octets of the bridge range, e.g. {@code 10.200} */
    public BridgeNetwork(HostCommands host, String prefix) {
        this(host, prefix, dev.bhatti.engine.net.dns.DnsRelay.systemUpstreams());
    }

    /** @param dnsUpstreams the resolvers the guests' queries are relayed to */
    public BridgeNetwork(HostCommands host, String prefix, List<java.net.InetSocketAddress> dnsUpstreams) {
        this.host = host;
        this.prefix = prefix;
        this.leases = new Leases(prefix);
        this.taps = new Taps(host);
        this.firewall = new Firewall(host);
        this.identityPaths = new IdentityPaths(host);
        this.dns = new dev.bhatti.engine.net.dns.DnsRelay(dnsUpstreams);
        dns.hook(egress);
        audit.domains(egress::domainOf);
        host.attempt("log from network namespaces", "", List.of("sysctl", "-qw", "net.netfilter.nf_log_all_netns=1"));
        audit.start();
    }

    public Egress egress() {
        return egress;
    }

    public EgressAudit audit() {
        return audit;
    }

    /**
     * Sandbox {@code id} (TAP {@code tap}, address {@code guest} on {@code subnet}) gets its egress
     * table, applied now, and its DNS queries to the gateway are relayed as its own.
     */
    public void guard(String id, String tap, String guest, Subnet subnet) {
        guests.put(guest, id);
        dns.openShared("bridge " + subnet.bridge(), subnet.gateway(),
                from -> java.util.Optional.ofNullable(guests.get(from.getHostAddress())));
        String table = tableOf(tap);
        egress.attachAndApply(id, new Egress.Target(table, tap, p -> EgressRules.bridgeTable(table, subnet.bridge(), tap,
                guest, subnet.cidr(), p, tap), host, List.of("nft", "-f", "-")));
    }

    /** Sandbox {@code id} is destroyed: its egress table and policy go. */
    public void unguard(String id, String tap, String guest) {
        guests.remove(guest, id);
        egress.forget(id);
        host.attempt("delete egress table of " + tap, "", List.of("nft", "delete", "table", "inet", tableOf(tap)));
    }

    /** Egress tables of TAPs not in {@code keep} are deleted (start-up). */
    public void removeOrphanTables(Set<String> keepTaps) {
        String out = host.attempt("list nftables tables", "", List.of("nft", "list", "tables")).output();
        for (String line : out.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 3 && f[2].startsWith(EGRESS_TABLE_PREFIX)
                    && !keepTaps.contains(f[2].substring(EGRESS_TABLE_PREFIX.length()))) {
                host.attempt("delete egress table " + f[2], "", List.of("nft", "delete", "table", "inet", f[2]));
            }
        }
    }

    /** Stops the DNS relay and the audit's reader. */
    public void close() {
        dns.close();
        audit.close();
    }

    private static final String EGRESS_TABLE_PREFIX = "bhe_";

    private static String tableOf(String tap) {
        return EGRESS_TABLE_PREFIX + tap;
    }

    /** Paths to copies that still hold their source's address (until IDENTITY). */
    public IdentityPaths identityPaths() {
        return identityPaths;
    }

    /** The MAC of the subnet's bridge: the gateway's, as its guests have it cached. */
    public String gatewayMac(Subnet subnet) {
        String out = host.run("read MAC of " + subnet.bridge(), List.of("ip", "-o", "link", "show", "dev", subnet.bridge()));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("link/ether ([0-9a-f:]{17})").matcher(out);
        if (!m.find()) {
            throw new dev.bhatti.engine.EngineException.VmmFailed("no MAC for bridge " + subnet.bridge() + " in: " + out, null);
        }
        return m.group(1);
    }

    public Leases leases() {
        return leases;
    }

    public Taps taps() {
        return taps;
    }

    /** The whole bridge range, e.g. {@code 10.200.0.0/16}. */
    public String range() {
        return prefix + ".0.0/16";
    }

    /** Brings up the subnet's bridge with its gateway address, forwarding and the firewall; idempotent. */
    public void ensureBridge(Subnet subnet) {
        String bridge = subnet.bridge();
        if (!Links.exists(host, bridge)) {
            host.run("create bridge " + bridge, List.of("ip", "link", "add", "name", bridge, "type", "bridge"));
        }
        String gateway = subnet.gateway() + "/24";
        String addresses = host.run("read addresses of " + bridge, List.of("ip", "-o", "-4", "addr", "show", "dev", bridge));
        if (!addresses.contains(" " + gateway + " ")) {
            host.run("add gateway " + gateway + " to " + bridge, List.of("ip", "addr", "add", gateway, "dev", bridge));
        }
        host.run("bring up bridge " + bridge, List.of("ip", "link", "set", "dev", bridge, "up"));
        host.run("enable IPv4 forwarding", List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1"));
        firewall.apply(range(), bridges());
    }

    /** Every bridge of ours that exists now. */
    public List<String> bridges() {
        return Links.named(host, Subnet.BRIDGE_PREFIX);
    }

    /** The VM's TAP, created if missing and attached to its subnet's bridge (set up if needed). */
    public String attach(String sandboxId, Subnet subnet) {
        ensureBridge(subnet);
        String tap = Taps.nameFor(sandboxId);
        taps.ensure(tap, subnet.bridge());
        return tap;
    }

    /** Removes the VM's TAP; fine when it is gone already. */
    public void detach(String sandboxId) {
        taps.delete(Taps.nameFor(sandboxId));
    }

    /** Removes TAPs of sandboxes not in {@code known} (run at start-up after recovery); returns them. */
    public List<String> removeOrphanTaps(Set<String> knownSandboxIds) {
        return taps.removeOrphans(knownSandboxIds.stream().map(Taps::nameFor).collect(java.util.stream.Collectors.toSet()));
    }

    /** The current nftables table, for diagnostics and tests. */
    public String ruleset() {
        return firewall.list();
    }
}

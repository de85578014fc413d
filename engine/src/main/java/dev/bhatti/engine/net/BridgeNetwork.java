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

    /** @param prefix the first two octets of the bridge range, e.g. {@code 10.200} */
    public BridgeNetwork(HostCommands host, String prefix) {
        this.host = host;
        this.prefix = prefix;
        this.leases = new Leases(prefix);
        this.taps = new Taps(host);
        this.firewall = new Firewall(host);
        this.identityPaths = new IdentityPaths(host);
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

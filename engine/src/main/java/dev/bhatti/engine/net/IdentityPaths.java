package dev.bhatti.engine.net;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Host paths to bridge-mode copies that still hold their source's address (decision 0022). A
 * copy (fork child, sandbox from a checkpoint) is restored with its source's memory, so its guest
 * answers at the source's address and MAC, which the source may still use on the same bridge.
 * Until IDENTITY gives it its own, its TAP stays off the bridge and the host reaches it through
 * that TAP alone: connections from the host to the copy's own address on the agent's ports are
 * marked, routed by a table of their own out of the TAP, and destination-NATed to the source's
 * address; the TAP carries the gateway's MAC, which the guest has cached. Each path is one
 * nftables table {@code bhid_<tap>}, one rule at priority {@link #RULE_PRIORITY} and one routing
 * table; {@link #removeAll} clears what a crash left.
 */
public final class IdentityPaths {
    /** The {@code ip rule} priority of every path's rule (before the main table's 32766). */
    static final int RULE_PRIORITY = 1100;
    private static final String TABLE_PREFIX = "bhid_";
    private static final int FIRST_MARK = 0x6268_0000;
    private static final int AGENT_PORTS = 1024, AGENT_FORWARD = 1025;

    /** One open path: the copy's TAP, its own address, and the mark (also its routing table's id). */
    public record Path(String tap, String address, int mark) {
        String nftTable() {
            return TABLE_PREFIX + tap;
        }

        String hexMark() {
            return "0x" + Integer.toHexString(mark);
        }
    }

    /** Where a copy's guest still is: its source's address, and the gateway MAC it has cached. */
    private record Source(String address, String gatewayMac) {}

    private final HostCommands host;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<String, Path> open = new ConcurrentHashMap<>();
    private final Map<String, Source> expected = new ConcurrentHashMap<>();

    IdentityPaths(HostCommands host) {
        this.host = host;
    }

    /** The VM behind {@code tap} will be restored holding {@code sourceAddress}, its gateway at {@code gatewayMac}. */
    public void expect(String tap, String sourceAddress, String gatewayMac) {
        expected.put(tap, new Source(sourceAddress, gatewayMac));
    }

    /** Whether the next launch behind {@code tap} must be reached through a path ({@link #expect} and no close since). */
    public boolean expected(String tap) {
        return expected.containsKey(tap);
    }

    /**
     * Opens the path to {@code tap} (created if missing, taken off any bridge): the host's
     * connections to {@code address} on the agent's ports reach the guest at the source address
     * that {@link #expect} gave.
     */
    public Path open(String tap, String address) {
        Source source = expected.get(tap);
        if (source == null) {
            throw new IllegalStateException("no copy expected behind " + tap);
        }
        closePath(tap);
        int mark = FIRST_MARK + (next.getAndIncrement() & 0xffff);
        Path p = new Path(tap, address, mark);
        if (!Links.exists(host, tap)) {
            host.run("create TAP " + tap, List.of("ip", "tuntap", "add", "dev", tap, "mode", "tap"));
        }
        host.run("take " + tap + " off its bridge", List.of("ip", "link", "set", "dev", tap, "nomaster"));
        host.run("give " + tap + " the gateway's MAC", List.of("ip", "link", "set", "dev", tap, "address", source.gatewayMac(), "up"));
        // proxy_arp: a guest whose gateway entry expired asks for the gateway again and is answered.
        host.run("let " + tap + " pass marked replies", List.of("sysctl", "-q", "-w", "net.ipv4.conf." + tap + ".rp_filter=0",
                "net.ipv4.conf." + tap + ".src_valid_mark=1", "net.ipv4.conf." + tap + ".proxy_arp=1"));
        String table = Integer.toString(mark);
        host.run("route table of " + tap, List.of("ip", "route", "replace", "default", "dev", tap, "table", table));
        host.run("rule of " + tap, List.of("ip", "rule", "add", "priority", Integer.toString(RULE_PRIORITY), "fwmark",
                p.hexMark(), "lookup", table));
        String ports = "{ " + AGENT_PORTS + ", " + AGENT_FORWARD + " }";
        host.feed("nft path of " + tap, String.join("\n",
                "table ip " + p.nftTable() + " {",
                "  chain mark_out { type route hook output priority -150; ip daddr " + address + " tcp dport " + ports
                        + " meta mark set " + p.hexMark() + "; }",
                "  chain to_source { type nat hook output priority -100; ip daddr " + address + " tcp dport " + ports
                        + " dnat to " + source.address() + "; }",
                "  chain mark_in { type filter hook prerouting priority -150; iifname \"" + tap + "\" meta mark set " + p.hexMark() + "; }",
                "}") + "\n", List.of("nft", "-f", "-"));
        open.put(tap, p);
        return p;
    }

    /** Closes the path of {@code tap} and forgets the copy expected behind it (the TAP itself stays); idempotent. */
    public void close(String tap) {
        expected.remove(tap);
        closePath(tap);
    }

    private void closePath(String tap) {
        Path p = open.remove(tap);
        if (p == null) {
            return;
        }
        host.attempt("remove nft path of " + tap, "", List.of("nft", "delete", "table", "ip", p.nftTable()));
        host.attempt("remove rule of " + tap, "", List.of("ip", "rule", "del", "priority", Integer.toString(RULE_PRIORITY),
                "fwmark", p.hexMark()));
        host.attempt("remove route table of " + tap, "", List.of("ip", "route", "flush", "table", Integer.toString(p.mark())));
    }

    /** Removes every path's rule and table, whoever opened it (start-up, after a crash); answers how many tables. */
    public int removeAll() {
        open.keySet().forEach(this::close);
        while (host.attempt("remove a leftover path rule", "", List.of("ip", "rule", "del", "priority",
                Integer.toString(RULE_PRIORITY))).ok()) {
            // one rule per call, until none is left
        }
        int removed = 0;
        String tables = host.attempt("list nft tables", "", List.of("nft", "list", "tables", "ip")).output();
        for (String line : tables.lines().toList()) {
            String name = line.replaceFirst("^table ip ", "").strip();
            if (name.startsWith(TABLE_PREFIX)) {
                host.attempt("remove leftover " + name, "", List.of("nft", "delete", "table", "ip", name));
                removed++;
            }
        }
        return removed;
    }
}

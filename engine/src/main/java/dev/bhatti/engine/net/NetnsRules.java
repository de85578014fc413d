package dev.bhatti.engine.net;

import java.util.ArrayList;
import java.util.List;

/**
 * The nftables table inside a sandbox's namespace ({@link SandboxNetworks}). The host reaches the
 * agent's ports on the namespace's veth address, forwarded to the guest; the guest's DNS queries
 * to 10.0.2.3 go to the relay on the veth's host end ({@link dev.bhatti.engine.net.dns.DnsRelay});
 * nothing else the guest sends may reach the namespace itself. The guest's own connections leave
 * masqueraded as the veth address, decided by its {@link EgressPolicy}: allow sets first, then
 * deny sets and block_all, then the ranges that are never the outside world (the host's
 * networks, metadata services, other sandboxes), then accept. Every decision on a new connection
 * is logged with the prefix {@code bhatti-egress <key> A|D } (the audit log reads it). Sets named
 * {@code *_dns} hold addresses of allowed or denied domains, added by the relay with a timeout.
 * The guest cannot change any of it: the rules live outside the VM.
 */
public final class NetnsRules {
    /** The namespace's TAP, QEMU's network card. */
    public static final String TAP = "tap0";
    /** The TAP's address: the guest's gateway. */
    public static final String GATEWAY = "10.0.2.2";
    /** Every guest's address (bhatti-init's default). */
    public static final String GUEST = "10.0.2.15";
    /** Where the guests' resolver is (bhatti-init's default). */
    public static final String RESOLVER = "10.0.2.3";
    /** Destinations a guest may not reach unless a policy allows them. */
    public static final List<String> NOT_OUTSIDE = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/3");
    /** Log prefix of every egress decision: {@code bhatti-egress <key> A } or {@code D }. */
    public static final String LOG_PREFIX = "bhatti-egress ";

    private NetnsRules() {}

    /** The table of a namespace whose veth's host end is {@code hostAddress}, logging under {@code key}. */
    static String ruleset(String hostAddress, EgressPolicy policy, String key) {
        String allow = "log prefix \"" + LOG_PREFIX + key + " A \" level debug accept";
        String deny = "log prefix \"" + LOG_PREFIX + key + " D \" level debug drop";
        String out = "iifname \"" + TAP + "\" oifname \"up0\" ";
        StringBuilder forward = new StringBuilder();
        for (String verdict : List.of("allow", "deny")) {
            String action = verdict.equals("allow") ? allow : deny;
            forward.append("    ").append(out).append("ip daddr @").append(verdict).append("_net ").append(action).append('\n');
            forward.append("    ").append(out).append("meta l4proto { tcp, udp } ip daddr . th dport @").append(verdict)
                    .append("_netport ").append(action).append('\n');
            forward.append("    ").append(out).append("ip daddr @").append(verdict).append("_dns ").append(action).append('\n');
            forward.append("    ").append(out).append("meta l4proto { tcp, udp } ip daddr . th dport @").append(verdict)
                    .append("_dnsport ").append(action).append('\n');
        }
        if (policy.blockAll()) {
            forward.append("    ").append(out).append(deny).append('\n');
        }
        forward.append("    ").append(out).append("ip daddr @not_outside ").append(deny).append('\n');
        forward.append("    ").append(out).append("meta nfproto ipv4 ").append(allow).append('\n');
        return "table inet bhatti\n"
                + "delete table inet bhatti\n"
                + "table inet bhatti {\n"
                + set("not_outside", "ipv4_addr", "interval", NOT_OUTSIDE)
                + set("allow_net", "ipv4_addr", "interval", nets(policy.allowOut(), false))
                + set("allow_netport", "ipv4_addr . inet_service", "interval", nets(policy.allowOut(), true))
                + set("allow_dns", "ipv4_addr", "timeout", List.of())
                + set("allow_dnsport", "ipv4_addr . inet_service", "timeout", List.of())
                + set("deny_net", "ipv4_addr", "interval", nets(policy.denyOut(), false))
                + set("deny_netport", "ipv4_addr . inet_service", "interval", nets(policy.denyOut(), true))
                + set("deny_dns", "ipv4_addr", "timeout", List.of())
                + set("deny_dnsport", "ipv4_addr . inet_service", "timeout", List.of())
                + "  chain prerouting {\n"
                + "    type nat hook prerouting priority dstnat; policy accept;\n"
                + "    iifname \"up0\" tcp dport { 1024, 1025 } dnat ip to " + GUEST + "\n"
                + "    iifname \"" + TAP + "\" ip daddr " + RESOLVER + " udp dport 53 dnat ip to " + hostAddress + "\n"
                + "  }\n"
                + "  chain postrouting {\n"
                + "    type nat hook postrouting priority srcnat; policy accept;\n"
                + "    oifname \"up0\" masquerade\n"
                + "  }\n"
                + "  chain input {\n"
                + "    type filter hook input priority filter; policy drop;\n"
                + "    ct state established,related accept\n"
                + "    iifname \"lo\" accept\n"
                + "  }\n"
                + "  chain forward {\n"
                + "    type filter hook forward priority filter; policy drop;\n"
                + "    ct state established,related accept\n"
                + "    iifname \"up0\" oifname \"" + TAP + "\" ct status dnat accept\n"
                + "    " + out + "ip daddr " + hostAddress + " udp dport 53 ct status dnat accept\n"
                + forward
                + "  }\n"
                + "}\n";
    }

    /** {@code nft} input adding addresses of a domain to {@code <verdict>_dns} (or {@code _dnsport}) for {@code ttl} seconds. */
    static String addResolved(String verdict, List<String> addresses, int port, long ttlSeconds) {
        List<String> elements = new ArrayList<>();
        for (String a : addresses) {
            elements.add((port == 0 ? a : a + " . " + port) + " timeout " + ttlSeconds + "s");
        }
        return "add element inet bhatti " + verdict + (port == 0 ? "_dns" : "_dnsport") + " { "
                + String.join(", ", elements) + " }\n";
    }

    private static List<String> nets(List<EgressPolicy.Rule> rules, boolean withPort) {
        List<String> out = new ArrayList<>();
        for (EgressPolicy.Rule r : rules) {
            if (r instanceof EgressPolicy.Net n && (n.port() != 0) == withPort) {
                String e = withPort ? n.cidr() + " . " + n.port() : n.cidr();
                if (!out.contains(e)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private static String set(String name, String type, String flags, List<String> elements) {
        // Overlapping ranges (10.0.0.0/8 and 10.1.0.0/16) merge; concatenations cannot, so only duplicates go.
        boolean merge = flags.equals("interval") && !type.contains(".");
        return "  set " + name + " {\n"
                + "    type " + type + "; flags " + flags + ";" + (merge ? " auto-merge;" : "") + "\n"
                + (elements.isEmpty() ? "" : "    elements = { " + String.join(", ", elements) + " }\n")
                + "  }\n";
    }
}

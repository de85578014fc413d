package dev.bhatti.engine.net;

import java.util.ArrayList;
import java.util.List;

/**
 * The nftables pieces of an {@link EgressPolicy} (decision 0024), shared by the namespace mode's
 * table ({@link NetnsRules}) and bridge mode's per-sandbox table ({@link #bridgeTable}): the sets
 * and the decisions on a guest's new connection, in order: allow sets, deny sets, block_all, the
 * ranges that are never the outside world, accept. Every decision is logged with
 * {@link #LOG_PREFIX} and the sandbox's key at debug level, which the audit log reads. The
 * {@code *_dns} sets hold the addresses of allowed or denied domains, added with a timeout.
 */
public final class EgressRules {
    /** Log prefix of every egress decision: {@code bhatti-egress <key> A } or {@code D }. */
    public static final String LOG_PREFIX = "bhatti-egress ";
    /** Destinations a guest may not reach unless a policy allows them. */
    public static final List<String> NOT_OUTSIDE = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/3");

    private EgressRules() {}

    static String allow(String key) {
        return "log prefix \"" + LOG_PREFIX + key + " A \" level debug accept";
    }

    static String deny(String key) {
        return "log prefix \"" + LOG_PREFIX + key + " D \" level debug drop";
    }

    /** The policy's sets. */
    static String sets(EgressPolicy policy) {
        return set("not_outside", "ipv4_addr", "interval", NOT_OUTSIDE)
                + set("allow_net", "ipv4_addr", "interval", nets(policy.allowOut(), false))
                + set("allow_netport", "ipv4_addr . inet_service", "interval", nets(policy.allowOut(), true))
                + set("allow_dns", "ipv4_addr", "timeout", List.of())
                + set("allow_dnsport", "ipv4_addr . inet_service", "timeout", List.of())
                + set("deny_net", "ipv4_addr", "interval", nets(policy.denyOut(), false))
                + set("deny_netport", "ipv4_addr . inet_service", "interval", nets(policy.denyOut(), true))
                + set("deny_dns", "ipv4_addr", "timeout", List.of())
                + set("deny_dnsport", "ipv4_addr . inet_service", "timeout", List.of());
    }

    /**
     * The decisions, each rule starting with {@code match} (what makes a packet the guest's new
     * outbound one), after {@code before} (rules that accept what is the guest's own network).
     */
    static String decisions(String match, EgressPolicy policy, String key, List<String> before) {
        String allow = allow(key), deny = deny(key);
        StringBuilder out = new StringBuilder();
        for (String rule : before) {
            out.append("    ").append(match).append(rule).append('\n');
        }
        for (String verdict : List.of("allow", "deny")) {
            String action = verdict.equals("allow") ? allow : deny;
            out.append("    ").append(match).append("ip daddr @").append(verdict).append("_net ").append(action).append('\n');
            out.append("    ").append(match).append("meta l4proto { tcp, udp } ip daddr . th dport @").append(verdict)
                    .append("_netport ").append(action).append('\n');
            out.append("    ").append(match).append("ip daddr @").append(verdict).append("_dns ").append(action).append('\n');
            out.append("    ").append(match).append("meta l4proto { tcp, udp } ip daddr . th dport @").append(verdict)
                    .append("_dnsport ").append(action).append('\n');
        }
        if (policy.blockAll()) {
            out.append("    ").append(match).append(deny).append('\n');
        }
        out.append("    ").append(match).append("ip daddr @not_outside ").append(deny).append('\n');
        out.append("    ").append(match).append("meta nfproto ipv4 ").append(allow).append('\n');
        return out.toString();
    }

    /**
     * Bridge mode's table of one sandbox ({@code inet <table>}): new connections its guest
     * ({@code guest} on {@code bridge}, or anything from its {@code tap} while a copy is off the
     * bridge) opens through the host are decided by its policy; traffic within its own subnet is
     * the bridge's business (accepted here).
     */
    static String bridgeTable(String table, String bridge, String tap, String guest, String subnet, EgressPolicy policy,
                              String key) {
        return "table inet " + table + "\n"
                + "delete table inet " + table + "\n"
                + "table inet " + table + " {\n"
                + sets(policy)
                + "  chain forward {\n"
                + "    type filter hook forward priority filter - 1; policy accept;\n"
                + "    iifname \"" + bridge + "\" ip saddr " + guest + " ct state new jump egress\n"
                // A copy is reached off the bridge through its own TAP until IDENTITY: all of it is this sandbox's.
                + "    iifname \"" + tap + "\" ct state new jump egress\n"
                + "  }\n"
                + "  chain egress {\n"
                + decisions("", policy, key, List.of("ip daddr " + subnet + " accept"))
                + "  }\n"
                + "}\n";
    }

    /** {@code nft} input adding addresses of a domain to {@code <verdict>_dns} (or {@code _dnsport}) of {@code table}. */
    static String addResolved(String table, String verdict, List<String> addresses, int port, long ttlSeconds) {
        List<String> elements = new ArrayList<>();
        for (String a : addresses) {
            elements.add((port == 0 ? a : a + " . " + port) + " timeout " + ttlSeconds + "s");
        }
        return "add element inet " + table + " " + verdict + (port == 0 ? "_dns" : "_dnsport") + " { "
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

package dev.bhatti.engine.net;

import java.util.List;

/**
 * bhatti's own nftables table, {@code table inet bhatti}, replaced as a whole (atomically, so
 * applying it again is a no-op) whenever a bridge is added. It NATs the VM range to the outside,
 * accepts traffic within one bridge, drops traffic between bridges and from outside into them, and
 * drops connections VMs open to the host itself (its API port included) but DNS to the relay on
 * the gateway; replies to connections the host opened (the agent's) pass as established. Each
 * sandbox's egress policy is a table of its own ({@link EgressRules#bridgeTable}).
 */
final class Firewall {
    static final String TABLE = "bhatti";

    private final HostCommands host;

    Firewall(HostCommands host) {
        this.host = host;
    }

    /** Installs the ruleset for {@code range} (e.g. 10.200.0.0/16) and the given bridges. */
    void apply(String range, List<String> bridges) {
        host.feed("apply nftables table inet " + TABLE, ruleset(range, bridges), List.of("nft", "-f", "-"));
    }

    /** The current table as {@code nft list table} prints it. */
    String list() {
        return host.run("list nftables table inet " + TABLE, List.of("nft", "list", "table", "inet", TABLE));
    }

    static String ruleset(String range, List<String> bridges) {
        String all = '"' + Subnet.BRIDGE_PREFIX + "*\"";
        StringBuilder sameBridge = new StringBuilder();
        for (String b : bridges) {
            sameBridge.append("    iifname \"").append(b).append("\" oifname \"").append(b).append("\" accept\n");
        }
        return "table inet " + TABLE + "\n"
                + "delete table inet " + TABLE + "\n"
                + "table inet " + TABLE + " {\n"
                + "  chain forward {\n"
                + "    type filter hook forward priority filter; policy accept;\n"
                + "    ct state established,related accept\n"
                + sameBridge
                + "    iifname " + all + " oifname " + all + " drop\n"
                + "    oifname " + all + " drop\n"
                + "  }\n"
                + "  chain input {\n"
                + "    type filter hook input priority filter; policy accept;\n"
                + "    iifname " + all + " ct state established,related accept\n"
                + "    iifname " + all + " udp dport 53 accept\n"
                + "    iifname " + all + " drop\n"
                + "  }\n"
                + "  chain postrouting {\n"
                + "    type nat hook postrouting priority srcnat; policy accept;\n"
                + "    ip saddr " + range + " oifname != " + all + " masquerade\n"
                + "  }\n"
                + "}\n";
    }
}

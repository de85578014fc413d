package dev.bhatti.engine.net;

import java.util.List;

/**
 * The nftables table inside a sandbox's namespace ({@link SandboxNetworks}). The host reaches the
 * agent's ports on the namespace's veth address, forwarded to the guest; the guest's DNS queries
 * to 10.0.2.3 go to the relay on the veth's host end ({@link dev.bhatti.engine.net.dns.DnsRelay});
 * nothing else the guest sends may reach the namespace itself (audited as denied). The guest's own
 * connections leave masqueraded as the veth address, decided by its {@link EgressPolicy}
 * ({@link EgressRules}). The guest cannot change any of it: the rules live outside the VM.
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
    /** The namespace's table. */
    static final String TABLE = "bhatti";

    private NetnsRules() {}

    /** The table of a namespace whose veth's host end is {@code hostAddress}, logging under {@code key}. */
    static String ruleset(String hostAddress, EgressPolicy policy, String key) {
        String out = "iifname \"" + TAP + "\" oifname \"up0\" ";
        return "table inet " + TABLE + "\n"
                + "delete table inet " + TABLE + "\n"
                + "table inet " + TABLE + " {\n"
                + EgressRules.sets(policy)
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
                // The guest's attempts at the namespace itself (its gateway, 10.0.2.2) are audited too.
                + "    iifname \"" + TAP + "\" " + EgressRules.deny(key) + "\n"
                + "  }\n"
                + "  chain forward {\n"
                + "    type filter hook forward priority filter; policy drop;\n"
                + "    ct state established,related accept\n"
                + "    iifname \"up0\" oifname \"" + TAP + "\" ct status dnat accept\n"
                + "    " + out + "ip daddr " + hostAddress + " udp dport 53 ct status dnat accept\n"
                + EgressRules.decisions(out, policy, key, List.of())
                + "  }\n"
                + "}\n";
    }
}

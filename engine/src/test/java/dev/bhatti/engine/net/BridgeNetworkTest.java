package dev.bhatti.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The host plumbing of bridge mode, each test inside a network namespace of its own. */
class BridgeNetworkTest {
    private Netns ns;
    private BridgeNetwork net;

    @BeforeEach
    void namespace() {
        ns = Netns.create();
        net = new BridgeNetwork(ns.host, "10.200");
    }

    @AfterEach
    void cleanUp() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void bridgeSetupIsIdempotent() {
        Subnet subnet = new Subnet("10.200", 3);
        net.ensureBridge(subnet);
        String first = state();
        net.ensureBridge(subnet);
        assertThat(state()).isEqualTo(first);
        assertThat(first).contains("bhbr3").contains("inet 10.200.3.1/24");
        assertThat(net.bridges()).containsExactly("bhbr3");
        assertThat(ns.host.run("read", List.of("sysctl", "-n", "net.ipv4.ip_forward")).strip()).isEqualTo("1");
    }

    @Test
    void rulesetNatsTheRangeAndIsolatesBridges() {
        net.ensureBridge(new Subnet("10.200", 0));
        net.ensureBridge(new Subnet("10.200", 1));
        assertThat(net.ruleset())
                .contains("table inet bhatti")
                .contains("ip saddr 10.200.0.0/16 oifname != \"bhbr*\" masquerade")
                .contains("iifname \"bhbr0\" oifname \"bhbr0\" accept")
                .contains("iifname \"bhbr1\" oifname \"bhbr1\" accept")
                .contains("iifname \"bhbr*\" oifname \"bhbr*\" drop")
                .contains("iifname \"bhbr*\" ct state established,related accept")
                .contains("iifname \"bhbr*\" drop");
    }

    @Test
    void tapIsAttachedKeptRecreatedWhenMissingAndRemovedAtDestroy() {
        Subnet subnet = new Subnet("10.200", 0);
        String tap = net.attach("sb-one", subnet);
        assertThat(tap).isEqualTo(Taps.nameFor("sb-one")).startsWith("bhtap").hasSizeLessThanOrEqualTo(15);
        assertThat(link(tap)).contains("master bhbr0");
        assertThat(net.attach("sb-one", subnet)).isEqualTo(tap);
        assertThat(net.taps().list()).containsExactly(tap);

        ns.host.run("remove behind our back", List.of("ip", "link", "delete", "dev", tap));
        net.attach("sb-one", subnet);
        assertThat(link(tap)).contains("master bhbr0");

        net.detach("sb-one");
        assertThat(net.taps().exists(tap)).isFalse();
        net.detach("sb-one");
    }

    @Test
    void orphanTapsAreRemovedAndKnownOnesKept() {
        Subnet subnet = new Subnet("10.200", 0);
        String kept = net.attach("sb-kept", subnet);
        String orphan = net.attach("sb-gone", subnet);
        assertThat(net.removeOrphanTaps(Set.of("sb-kept"))).containsExactly(orphan);
        assertThat(net.taps().list()).containsExactly(kept);
        assertThat(net.bridges()).containsExactly("bhbr0");
    }

    private String link(String dev) {
        return ns.host.run("show " + dev, List.of("ip", "-o", "link", "show", "dev", dev));
    }

    private String state() {
        return ns.host.run("links", List.of("ip", "-o", "link", "show"))
                + ns.host.run("addresses", List.of("ip", "-o", "addr", "show"))
                + net.ruleset();
    }
}

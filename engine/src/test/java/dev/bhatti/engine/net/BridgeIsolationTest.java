package dev.bhatti.engine.net;

import static dev.bhatti.engine.net.Netns.connects;
import static dev.bhatti.engine.net.Netns.pings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.engine.net.Leases.Lease;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who reaches whom under bhatti's bridges and firewall, with namespaces standing in for VMs (a veth
 * on the bridge instead of a TAP): two of alice's, one of bob's, and an "outside" host with no route
 * back to the VM range. Everything lives in one namespace created for this class.
 */
class BridgeIsolationTest {
    private static final int PORT = 7000, HOST_SERVICE = 7001, OUTSIDE_PORT = 7002;
    private static Netns ns;
    private static HostCommands alice1, alice2, bob1, outside;
    private static Lease a1, a2, b1;

    @BeforeAll
    static void network() {
        ns = Netns.create();
        BridgeNetwork net = new BridgeNetwork(ns.host, "10.200");
        a1 = net.leases().lease("alice");
        a2 = net.leases().lease("alice");
        b1 = net.leases().lease("bob");
        net.ensureBridge(a1.subnet());
        net.ensureBridge(b1.subnet());
        alice1 = ns.fakeVm("a1", a1.subnet().bridge(), a1.address(), a1.subnet().gateway());
        alice2 = ns.fakeVm("a2", a2.subnet().bridge(), a2.address(), a2.subnet().gateway());
        bob1 = ns.fakeVm("b1", b1.subnet().bridge(), b1.address(), b1.subnet().gateway());
        outside = ns.outside("out", "192.0.2.1", "192.0.2.2");
        for (HostCommands vm : new HostCommands[] {alice1, alice2, bob1}) {
            ns.listen(vm, PORT);
        }
        ns.listen(ns.host, HOST_SERVICE);
        ns.listen(outside, OUTSIDE_PORT);
    }

    @AfterAll
    static void cleanUp() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void vmsOfOneUserReachEachOtherByPingAndTcp() {
        assertThat(pings(alice1, a2.address())).isTrue();
        assertThat(connects(alice1, a2.address(), PORT)).isTrue();
        assertThat(connects(alice2, a1.address(), PORT)).isTrue();
    }

    @Test
    void vmsOfAnotherUserAreDropped() {
        assertThat(pings(bob1, a1.address())).isFalse();
        assertThat(connects(bob1, a1.address(), PORT)).isFalse();
        assertThat(connects(alice1, b1.address(), PORT)).isFalse();
    }

    @Test
    void vmsCannotOpenConnectionsToTheHostsOwnServices() {
        assertThat(connects(ns.host, a1.subnet().gateway(), HOST_SERVICE)).as("the service runs").isTrue();
        assertThat(connects(alice1, a1.subnet().gateway(), HOST_SERVICE)).isFalse();
        assertThat(connects(alice1, "192.0.2.1", HOST_SERVICE)).isFalse();
        assertThat(pings(alice1, a1.subnet().gateway())).isFalse();
    }

    @Test
    void theHostReachesEveryVmAsTheAgentNeeds() {
        assertThat(connects(ns.host, a1.address(), PORT)).isTrue();
        assertThat(connects(ns.host, b1.address(), PORT)).isTrue();
        assertThat(pings(ns.host, b1.address())).isTrue();
    }

    @Test
    void vmsReachTheOutsideThroughNat() {
        assertThat(connects(alice1, "192.0.2.2", OUTSIDE_PORT)).as("outside has no route back, so only NAT answers").isTrue();
        assertThat(connects(bob1, "192.0.2.2", OUTSIDE_PORT)).isTrue();
    }
}

package dev.bhatti.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.engine.EngineException;
import org.junit.jupiter.api.Test;

class LeasesTest {
    private final Leases leases = new Leases("10.200");

    @Test
    void eachUserGetsTheirOwnSubnetLowestIndexFirst() {
        Leases.Lease a1 = leases.lease("alice");
        Leases.Lease b1 = leases.lease("bob");
        Leases.Lease a2 = leases.lease("alice");
        assertThat(a1.address()).isEqualTo("10.200.0.2");
        assertThat(a2.address()).isEqualTo("10.200.0.3");
        assertThat(b1.address()).isEqualTo("10.200.1.2");
        assertThat(b1.subnet().bridge()).isEqualTo("bhbr1");
    }

    @Test
    void aUsersSubnetIsFreedWithTheirLastAddressAndReused() {
        Leases.Lease a = leases.lease("alice");
        leases.lease("bob");
        leases.release(a);
        assertThat(leases.subnetOf("alice")).isEmpty();
        assertThat(leases.lease("carol").subnet().index()).isZero();
    }

    @Test
    void recoveryMarksSubnetsAndAddressesSoNewLeasesAvoidThem() {
        leases.mark("bob", "10.200.0.2");
        leases.mark("bob", "10.200.0.3");
        leases.mark("alice", "10.200.2.9");
        assertThat(leases.lease("bob").address()).isEqualTo("10.200.0.4");
        assertThat(leases.lease("alice").address()).isEqualTo("10.200.2.2");
        assertThat(leases.lease("carol").subnet().index()).isEqualTo(1);
    }

    @Test
    void markingIntoAnotherUsersSubnetIsRefused() {
        leases.lease("alice");
        assertThatThrownBy(() -> leases.mark("bob", "10.200.0.5")).hasMessageContaining("belongs to user alice");
        assertThatThrownBy(() -> leases.mark("alice", "10.200.3.5")).hasMessageContaining("already has 10.200.0.0/24");
        assertThatThrownBy(() -> leases.mark("alice", "10.201.0.5")).hasMessageContaining("not in the bridge range");
    }

    @Test
    void runsOutOfSubnetsAfter256Users() {
        for (int i = 0; i < 256; i++) {
            leases.lease("user" + i);
        }
        assertThatThrownBy(() -> leases.lease("one-too-many")).isInstanceOf(EngineException.PoolExhausted.class)
                .hasMessageContaining("all 256 user subnets");
    }
}

package dev.bhatti.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.engine.EngineException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IpPoolTest {
    private final IpPool pool = new IpPool(new Subnet("10.200", 7));

    @Test
    void handsOutTheLowestFreeAddressStartingAtDotTwo() {
        assertThat(pool.allocate()).isEqualTo("10.200.7.2");
        assertThat(pool.allocate()).isEqualTo("10.200.7.3");
        assertThat(pool.subnet().gateway()).isEqualTo("10.200.7.1");
        assertThat(pool.subnet().bridge()).isEqualTo("bhbr7");
    }

    @Test
    void reusesAReleasedAddressBeforeHigherOnes() {
        pool.allocate();
        String second = pool.allocate();
        pool.allocate();
        pool.release(second);
        assertThat(pool.allocate()).isEqualTo(second);
        assertThat(pool.allocate()).isEqualTo("10.200.7.5");
    }

    @Test
    void exhaustsAfter253AddressesWithAClearError() {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 253; i++) {
            all.add(pool.allocate());
        }
        assertThat(all).hasSize(253).contains("10.200.7.2", "10.200.7.254").doesNotContain("10.200.7.1", "10.200.7.255");
        assertThatThrownBy(pool::allocate).isInstanceOf(EngineException.PoolExhausted.class)
                .hasMessageContaining("IP pool exhausted").hasMessageContaining("10.200.7.0/24")
                .extracting(e -> ((EngineException) e).code()).isEqualTo(ErrorCode.IP_POOL_EXHAUSTED);
        pool.release("10.200.7.100");
        assertThat(pool.allocate()).isEqualTo("10.200.7.100");
    }

    @Test
    void markedAddressesAreSkippedAsRecoveryFindsThem() {
        assertThat(pool.mark("10.200.7.2")).isTrue();
        assertThat(pool.mark("10.200.7.4")).isTrue();
        assertThat(pool.mark("10.200.7.4")).isFalse();
        assertThat(pool.allocate()).isEqualTo("10.200.7.3");
        assertThat(pool.allocate()).isEqualTo("10.200.7.5");
        assertThat(pool.inUse()).isEqualTo(4);
    }

    @Test
    void rejectsAddressesOutsideTheVmRange() {
        assertThatThrownBy(() -> pool.mark("10.200.8.2")).hasMessageContaining("not in 10.200.7.0/24");
        assertThatThrownBy(() -> pool.mark("10.200.7.1")).hasMessageContaining("not a VM address");
        assertThatThrownBy(() -> pool.release("10.200.7.255")).hasMessageContaining("not a VM address");
        assertThatThrownBy(() -> new Subnet("10.300", 0)).hasMessageContaining("two octets");
        assertThatThrownBy(() -> new Subnet("10.200", 256)).hasMessageContaining("0..255");
    }
}

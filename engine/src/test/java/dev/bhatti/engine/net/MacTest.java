package dev.bhatti.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MacTest {
    @Test
    void macsAreRandomLocallyAdministeredUnicast() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String mac = Mac.random();
            assertThat(mac).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
            int first = Integer.parseInt(mac.substring(0, 2), 16);
            assertThat(first & 0x02).as("locally administered bit of %s", mac).isEqualTo(0x02);
            assertThat(first & 0x01).as("multicast bit of %s", mac).isZero();
            seen.add(mac);
        }
        assertThat(seen).hasSizeGreaterThan(195);
    }
}

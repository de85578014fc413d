package dev.bhatti.server.thermal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThermalConfigTest {

    @Test
    void defaultsAreTenSecondsThirtySecondsAndThirtyMinutes() {
        assertThat(ThermalConfig.DEFAULTS).isEqualTo(
                new ThermalConfig(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(30)));
    }

    @Test
    void zeroOrNegativeDurationsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new ThermalConfig(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval");
        assertThatThrownBy(() -> new ThermalConfig(Duration.ofSeconds(1), Duration.ofSeconds(-1), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warm_after");
    }

    @Test
    void coldAfterShorterThanWarmAfterIsRefused() {
        assertThatThrownBy(() -> new ThermalConfig(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cold_after");
    }
}

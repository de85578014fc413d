package dev.bhatti.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The egress_policies and egress_log tables (decision 0024). */
class EgressStoreTest extends TwoUserStore {
    @BeforeEach
    void rows() {
        store.insertSandbox(Rows.sandbox(alice, "sb_a", "web"));
        store.insertSandbox(Rows.sandbox(bob, "sb_b", "web"));
    }

    private static EgressRecord at(String sandbox, Instant t, int port, boolean allowed) {
        return new EgressRecord(sandbox, t, "tcp", "198.51.100.2", port, port == 443 ? "example.com" : null, allowed);
    }

    @Test
    void aPolicyIsStoredReplacedAndRemovedByOwner() {
        assertThat(store.egressPolicy("sb_a")).isEmpty();
        store.setEgressPolicy("sb_a", "{\"allow_out\":[\"1.1.1.1\"],\"deny_out\":[],\"block_all\":true}");
        store.setEgressPolicy("sb_a", "{\"allow_out\":[],\"deny_out\":[\"10.0.0.0/8\"],\"block_all\":false}");
        assertThat(store.egressPolicy("sb_a")).contains("{\"allow_out\":[],\"deny_out\":[\"10.0.0.0/8\"],\"block_all\":false}");
        assertThat(store.egressPolicy("sb_b")).isEmpty();
        store.setEgressPolicy("sb_a", null);
        assertThat(store.egressPolicy("sb_a")).isEmpty();
    }

    @Test
    void theLogIsNewestFirstPerSandboxFromSinceWithALimit() {
        store.appendEgress(List.of(at("sb_a", Rows.T0, 80, true), at("sb_a", Rows.T0.plusSeconds(2), 443, false),
                at("sb_b", Rows.T0.plusSeconds(1), 22, true), at("sb_a", Rows.T0.plusSeconds(1), 8080, true)));
        assertThat(store.egressLog("sb_a", Instant.EPOCH, 10)).extracting(EgressRecord::port).containsExactly(443, 8080, 80);
        assertThat(store.egressLog("sb_a", Instant.EPOCH, 10).getFirst()).as("kept to the millisecond")
                .isEqualTo(at("sb_a", Rows.T0.plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.MILLIS), 443, false));
        assertThat(store.egressLog("sb_a", Rows.T0.plusSeconds(1), 10)).extracting(EgressRecord::port).containsExactly(443, 8080);
        assertThat(store.egressLog("sb_a", Instant.EPOCH, 2)).extracting(EgressRecord::port).containsExactly(443, 8080);
        assertThat(store.egressLog("sb_b", Instant.EPOCH, 10)).extracting(EgressRecord::port).containsExactly(22);
    }

    @Test
    void pruningKeepsTheNewestByCountAndNoneOlderThanTheCutOff() {
        List<EgressRecord> many = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            many.add(at("sb_a", Rows.T0.plusSeconds(i), 1000 + i, true));
        }
        store.appendEgress(many);
        store.appendEgress(List.of(at("sb_b", Rows.T0, 22, true)));
        assertThat(store.pruneEgress("sb_a", 5, Instant.EPOCH)).isEqualTo(15);
        assertThat(store.egressLog("sb_a", Instant.EPOCH, 100)).extracting(EgressRecord::port)
                .containsExactly(1019, 1018, 1017, 1016, 1015);
        assertThat(store.pruneEgress("sb_a", 5, Rows.T0.plus(Duration.ofSeconds(18)))).isEqualTo(3);
        assertThat(store.egressLog("sb_a", Instant.EPOCH, 100)).extracting(EgressRecord::port).containsExactly(1019, 1018);
        assertThat(store.egressLog("sb_b", Instant.EPOCH, 100)).as("another sandbox's log is untouched").hasSize(1);
        store.deleteEgressLog("sb_a");
        assertThat(store.egressLog("sb_a", Instant.EPOCH, 100)).isEmpty();
    }
}

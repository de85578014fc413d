package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.api.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The API's small parts without a server: rate limits, UTF-8 carrying, the listening-port parser. */
class ApiPartsTest {

    /** A clock the test moves. */
    static final class ManualClock extends Clock {
        long millis = 1_000_000;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void createBucketAllowsItsBurstThenRefusesUntilItRefills() {
        ManualClock clock = new ManualClock();
        RateLimits limits = new RateLimits(clock, 1);
        for (int i = 0; i < 10; i++) {
            limits.acquire("u1", RateLimits.Kind.CREATE);
        }
        assertThatThrownBy(() -> limits.acquire("u1", RateLimits.Kind.CREATE))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED))
                .hasMessage("rate limit exceeded");
        limits.acquire("u2", RateLimits.Kind.CREATE);
        limits.acquire("u1", RateLimits.Kind.OTHER);
        clock.millis += 2_000;
        limits.acquire("u1", RateLimits.Kind.CREATE);
        assertThatThrownBy(() -> limits.acquire("u1", RateLimits.Kind.CREATE)).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED));
    }

    @Test
    void heavyAndOtherBucketsHaveTheirBursts() {
        RateLimits limits = new RateLimits(new ManualClock(), 1);
        for (int i = 0; i < 30; i++) {
            limits.acquire("u", RateLimits.Kind.HEAVY);
        }
        assertThatThrownBy(() -> limits.acquire("u", RateLimits.Kind.HEAVY)).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED));
        for (int i = 0; i < 60; i++) {
            limits.acquire("u", RateLimits.Kind.OTHER);
        }
        assertThatThrownBy(() -> limits.acquire("u", RateLimits.Kind.OTHER)).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED));
    }

    @Test
    void utf8CharacterSplitAcrossChunksIsCarriedWhole() {
        byte[] euro = "a€b".getBytes(StandardCharsets.UTF_8);
        Utf8Carry carry = new Utf8Carry();
        assertThat(carry.take(java.util.Arrays.copyOfRange(euro, 0, 2))).isEqualTo("a");
        assertThat(carry.take(java.util.Arrays.copyOfRange(euro, 2, euro.length))).isEqualTo("€b");
        assertThat(carry.rest()).isEmpty();
        assertThat(Utf8Carry.completePrefix("ok".getBytes(StandardCharsets.UTF_8))).isEqualTo(2);
    }

    @Test
    void listeningPortsComeFromProcNetTcpWithoutTheAgentsOwn() {
        String proc = """
                  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
                   0: 00000000:0400 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1
                   1: 00000000:0401 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2
                   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3
                   3: 0F02000A:0400 0202000A:C350 01 00000000:00000000 00:00000000 00000000     0        0 4
                   0: 00000000000000000000000000000000:0BB8 00000000000000000000000000000000:0000 0A 0 0 0
                """;
        assertThat(Ports.listening(proc)).containsExactly(3000, 8080);
    }
}

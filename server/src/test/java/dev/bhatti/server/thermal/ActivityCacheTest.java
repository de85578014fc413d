package dev.bhatti.server.thermal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class ActivityCacheTest {
    private final TestClock clock = TestClock.frozen();
    private final ActivityCache cache = new ActivityCache(clock);

    @Test
    void untouchedSandboxHasNoActivityAndIsNotHeld() {
        assertThat(cache.last("sb")).isEmpty();
        assertThat(cache.held("sb")).isFalse();
    }

    @Test
    void touchRecordsTheClocksTimeAndALaterTouchMovesItForward() {
        Instant first = clock.instant();
        cache.touch("sb");
        clock.advance(Duration.ofSeconds(7));
        assertThat(cache.last("sb")).contains(first);

        cache.touch("sb");

        assertThat(cache.last("sb")).contains(first.plusSeconds(7));
        assertThat(cache.last("other")).isEmpty();
    }

    @Test
    void holdKeepsTheSandboxHeldUntilEveryHoldIsReleased() {
        ActivityCache.Hold shell = cache.hold("sb");
        ActivityCache.Hold socket = cache.hold("sb");

        shell.close();
        assertThat(cache.held("sb")).isTrue();
        socket.close();

        assertThat(cache.held("sb")).isFalse();
    }

    @Test
    void holdReleasesExactlyOnceEvenWhenClosedTwice() {
        ActivityCache.Hold a = cache.hold("sb");
        ActivityCache.Hold b = cache.hold("sb");

        a.close();
        a.close();

        assertThat(cache.held("sb")).as("b is still open").isTrue();
        b.close();
        assertThat(cache.held("sb")).isFalse();
    }

    @Test
    void takingAndReleasingAHoldBothCountAsActivity() {
        ActivityCache.Hold h = cache.hold("sb");
        Instant taken = clock.instant();
        assertThat(cache.last("sb")).contains(taken);
        clock.advance(Duration.ofMinutes(5));

        h.close();

        assertThat(cache.last("sb")).contains(taken.plus(Duration.ofMinutes(5)));
    }

    @Test
    void forgetDropsActivityAndHoldsAndALateReleaseBringsNothingBack() {
        ActivityCache.Hold h = cache.hold("sb");
        cache.forget("sb");
        assertThat(cache.held("sb")).isFalse();
        assertThat(cache.last("sb")).isEmpty();

        h.close();

        assertThat(cache.last("sb")).isEmpty();
        assertThat(cache.held("sb")).isFalse();
    }

    @Test
    void concurrentHoldsFromManyThreadsAllCountAndAllRelease() throws Exception {
        List<ActivityCache.Hold> holds = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                pool.submit(() -> holds.add(cache.hold("sb")));
            }
        }
        assertThat(holds).hasSize(200);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ActivityCache.Hold h : holds.subList(0, 199)) {
                pool.submit(h::close);
            }
        }
        assertThat(cache.held("sb")).isTrue();

        holds.get(199).close();

        assertThat(cache.held("sb")).isFalse();
    }
}

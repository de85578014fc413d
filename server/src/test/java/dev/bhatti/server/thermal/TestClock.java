package dev.bhatti.server.thermal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that is a base clock plus an offset tests move forward, so idle time passes without waiting. */
final class TestClock extends Clock {
    private final Clock base;
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    private TestClock(Clock base) {
        this.base = base;
    }

    /** Stands still except when advanced. */
    static TestClock frozen() {
        return new TestClock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    /** Follows real time (the guests' clocks) plus whatever the test advanced. */
    static TestClock followingRealTime() {
        return new TestClock(Clock.systemUTC());
    }

    void advance(Duration d) {
        offset.updateAndGet(o -> o.plus(d));
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Zones do not matter to instants; the same clock serves every zone. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}

package dev.bhatti.agent;

import dev.bhatti.agent.conn.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections whose next frame does not arrive within the deadline. One periodic sweep
 * checks every waiting connection, so arming and disarming a deadline is a map update and never
 * wakes a timer thread on the request path. A connection is closed between the deadline and the
 * deadline plus one sweep interval (a tenth of the deadline, at most 250 ms).
 */
final class FirstFrameDeadline {
    /** What to do with a connection whose deadline passed. */
    @FunctionalInterface
    interface Expiry {
        void expired(Connection conn);
    }

    private final long timeoutNanos;
    private final Map<Connection, Long> waiting = new ConcurrentHashMap<>();
    private final Expiry expiry;

    FirstFrameDeadline(Duration timeout, ScheduledExecutorService timers, Expiry expiry) {
        this.timeoutNanos = timeout.toNanos();
        this.expiry = expiry;
        long sweep = Math.max(10, Math.min(250, timeout.toMillis() / 10));
        timers.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    void arm(Connection conn) {
        waiting.put(conn, System.nanoTime() + timeoutNanos);
    }

    void disarm(Connection conn) {
        waiting.remove(conn);
    }

    private void sweep() {
        long now = System.nanoTime();
        waiting.forEach((conn, deadline) -> {
            if (now - deadline >= 0 && waiting.remove(conn, deadline)) {
                expiry.expired(conn);
            }
        });
    }
}

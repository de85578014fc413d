package dev.bhatti.agent.conn;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every open host connection of both listeners, in accept order. A guest restored from a snapshot
 * still holds the connections of the host that took it, which no longer exist: RESTORED and
 * IDENTITY close every connection accepted before their own ({@link #closeAcceptedBefore}), which
 * frees their authenticated slots at once, kills their execs' process groups and detaches their
 * sessions (decision 0019). Thread-safe.
 */
public final class LiveConnections {
    private final AtomicLong accepted = new AtomicLong();
    private final Map<Connection, Long> open = new ConcurrentHashMap<>();

    /** Registers a just-accepted connection; {@link #leave} must follow once it is served. */
    public void enter(Connection conn) {
        open.put(conn, accepted.incrementAndGet());
    }

    public void leave(Connection conn) {
        open.remove(conn);
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * Closes every open connection accepted before {@code current} and waits, up to {@code within},
     * until their threads are done with them: their slots are given back and their execs reaped, so
     * the host's next request is served. Answers how many were closed.
     */
    public int closeAcceptedBefore(Connection current, Duration within) {
        Long mine = open.get(current);
        if (mine == null) {
            return 0;
        }
        List<Connection> closed = new ArrayList<>();
        for (Map.Entry<Connection, Long> e : open.entrySet()) {
            if (e.getValue() < mine) {
                e.getKey().close();
                closed.add(e.getKey());
            }
        }
        long deadline = System.nanoTime() + within.toNanos();
        synchronized (this) {
            for (long left = within.toNanos(); left > 0 && closed.stream().anyMatch(open::containsKey);
                    left = deadline - System.nanoTime()) {
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return closed.size();
    }

    /** Open connections now (both listeners). */
    public int size() {
        return open.size();
    }
}

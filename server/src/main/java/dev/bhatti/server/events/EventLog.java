package dev.bhatti.server.events;

import dev.bhatti.engine.Thermal;
import dev.bhatti.server.store.SandboxRow;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's lifecycle events: the last {@link #RETAINED} in memory for resumes, and live
 * subscribers ({@code GET /events}) and listeners (metrics). Ids start at the clock's
 * microseconds, so an id from before a daemon restart is still older than every new one.
 */
public final class EventLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventLog.class);
    public static final int RETAINED = 10_000;
    /** A subscriber this far behind is cut off; it resumes with {@code Last-Event-ID}. */
    static final int QUEUE = 1_024;

    private final Function<String, Optional<SandboxRow>> rows;
    private final Clock clock;
    private final ArrayDeque<SandboxEvent> recent = new ArrayDeque<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Consumer<SandboxEvent>> listeners = new CopyOnWriteArrayList<>();
    private long nextId;
    private volatile boolean closed;

    /** @param rows finds a sandbox's row by id (for its name and owner) */
    public EventLog(Function<String, Optional<SandboxRow>> rows, Clock clock) {
        this.rows = rows;
        this.clock = clock;
        this.nextId = clock.millis() * 1000;
    }

    /** Records an event of sandbox {@code id}, named and owned as its row says now. */
    public SandboxEvent publish(EventType type, String id, Thermal from, Thermal to, Long durationMs, String detail) {
        Optional<SandboxRow> row = rows.apply(id);
        return publish(type, id, row.map(SandboxRow::name).orElse(null), row.map(SandboxRow::userId).orElse(null),
                from, to, durationMs, detail);
    }

    /** Records an event of a sandbox whose row may be gone (a destroy looks it up first). */
    public SandboxEvent publish(EventType type, String id, String name, String userId, Thermal from, Thermal to,
                                Long durationMs, String detail) {
        SandboxEvent e;
        synchronized (recent) {
            long id0 = Math.max(nextId, clock.millis() * 1000);
            nextId = id0 + 1;
            e = new SandboxEvent(id0, clock.instant(), type, id, name, userId, Cause.current(), from, to, durationMs, detail);
            recent.addLast(e);
            if (recent.size() > RETAINED) {
                recent.removeFirst();
            }
            // offered under the lock, so every subscriber sees events in id order
            for (Subscription s : subscriptions) {
                s.offer(e);
            }
        }
        log.info("event=sandbox_{} sandbox={} cause={}{}", type.wire(), id, e.cause().wire(),
                durationMs == null ? "" : " duration_ms=" + durationMs);
        for (Consumer<SandboxEvent> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                log.warn("event=event_listener_failed error=\"{}\"", ex.getMessage());
            }
        }
        return e;
    }

    /** Calls {@code listener} with every event from now on. */
    public void listen(Consumer<SandboxEvent> listener) {
        listeners.add(listener);
    }

    /**
     * The events of user {@code userId} (of one sandbox when {@code sandboxId} is not null): the
     * retained ones after {@code afterId} (none when it is negative), then each new one.
     */
    public Subscription subscribe(String userId, String sandboxId, long afterId) {
        Subscription s = new Subscription(userId, sandboxId);
        synchronized (recent) {
            if (afterId >= 0) {
                for (SandboxEvent e : recent) {
                    if (e.id() > afterId) {
                        s.offer(e);
                    }
                }
            }
            subscriptions.add(s);
        }
        return s;
    }

    /** The retained events, oldest first (tests, metrics). */
    public List<SandboxEvent> retained() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    /** Ends every subscription (the daemon is stopping). */
    @Override
    public void close() {
        closed = true;
        subscriptions.forEach(Subscription::end);
    }

    /** One subscriber's queue of events. */
    public final class Subscription implements AutoCloseable {
        private static final SandboxEvent END = new SandboxEvent(-1, null, null, null, null, null, null, null, null, null, null);
        private final String userId;
        private final String sandboxId;
        private final BlockingQueue<SandboxEvent> queue = new ArrayBlockingQueue<>(QUEUE + 1);
        private volatile boolean overflowed;

        private Subscription(String userId, String sandboxId) {
            this.userId = userId;
            this.sandboxId = sandboxId;
        }

        private void offer(SandboxEvent e) {
            if (!userId.equals(e.userId()) || (sandboxId != null && !sandboxId.equals(e.sandboxId())) || overflowed) {
                return;
            }
            if (queue.size() >= QUEUE) {
                overflowed = true;
                end();
                return;
            }
            queue.offer(e);
        }

        private void end() {
            queue.offer(END);
        }

        /**
         * The next event, or empty when none came within {@code timeoutMs}.
         *
         * @throws Ended when the subscription ended (the daemon stops, or the subscriber fell behind)
         */
        public Optional<SandboxEvent> next(long timeoutMs) throws InterruptedException, Ended {
            if (closed) {
                throw new Ended();
            }
            SandboxEvent e = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
            if (e == END) {
                throw new Ended();
            }
            return Optional.ofNullable(e);
        }

        @Override
        public void close() {
            subscriptions.remove(this);
        }
    }

    /** The subscription is over. */
    public static final class Ended extends Exception {
        Ended() {
            super(null, null, false, false);
        }
    }
}

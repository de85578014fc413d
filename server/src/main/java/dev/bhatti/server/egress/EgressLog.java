package dev.bhatti.server.egress;

import dev.bhatti.engine.net.EgressAudit;
import dev.bhatti.server.store.EgressRecord;
import dev.bhatti.server.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The egress audit log (decision 0024): the engine's events are queued and written to the store
 * in batches (every 250 ms), so a burst of connections costs one transaction; a read writes what
 * is queued first. Each sandbox keeps its newest {@link #KEEP} entries and none older than
 * {@link #MAX_AGE}, pruned at most once a minute per sandbox; the store keeps them across restarts
 * and drops them with the sandbox.
 */
public final class EgressLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EgressLog.class);
    public static final int KEEP = 10_000;
    public static final Duration MAX_AGE = Duration.ofDays(7);
    private static final Duration FLUSH_EVERY = Duration.ofMillis(250);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    private final Store store;
    private final Clock clock;
    private final ConcurrentLinkedQueue<EgressRecord> queue = new ConcurrentLinkedQueue<>();
    private final Map<String, Instant> prunedAt = new ConcurrentHashMap<>();
    private final Thread writer;
    private volatile boolean closed;

    public EgressLog(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.writer = Thread.ofVirtual().name("egress-log").start(this::run);
    }

    /** Queues one engine event. */
    public void accept(EgressAudit.Event e) {
        queue.add(new EgressRecord(e.sandboxId(), e.at(), e.protocol(), e.address(), e.port(), e.domain(), e.allowed()));
    }

    /** A sandbox's entries at or after {@code since}, newest first, at most {@code limit}. */
    public List<EgressRecord> list(String sandboxId, Instant since, int limit) {
        flush();
        return store.egressLog(sandboxId, since, limit);
    }

    private void run() {
        while (!closed) {
            LockSupport.parkNanos(FLUSH_EVERY.toNanos());
            try {
                flush();
            } catch (RuntimeException e) {
                log.error("event=egress_log_write_failed error=\"{}\"", e.getMessage());
            }
        }
    }

    /** Writes what is queued (entries of sandboxes that are gone are dropped), then prunes. */
    synchronized void flush() {
        List<EgressRecord> batch = new ArrayList<>();
        for (EgressRecord r = queue.poll(); r != null; r = queue.poll()) {
            batch.add(r);
        }
        if (batch.isEmpty()) {
            return;
        }
        Set<String> live = new HashSet<>();
        Set<String> gone = new HashSet<>();
        List<EgressRecord> kept = new ArrayList<>();
        for (EgressRecord r : batch) {
            if (!live.contains(r.sandboxId()) && !gone.contains(r.sandboxId())) {
                (store.sandboxById(r.sandboxId()).isPresent() ? live : gone).add(r.sandboxId());
            }
            if (live.contains(r.sandboxId())) {
                kept.add(r);
            }
        }
        store.appendEgress(kept);
        Instant now = clock.instant();
        for (String id : live) {
            Instant last = prunedAt.get(id);
            if (last == null || last.plus(PRUNE_EVERY).isBefore(now)) {
                prunedAt.put(id, now);
                store.pruneEgress(id, KEEP, now.minus(MAX_AGE));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            flush();
        } catch (RuntimeException e) {
            log.error("event=egress_log_write_failed error=\"{}\"", e.getMessage());
        }
    }
}

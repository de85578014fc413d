package dev.bhatti.agent.conn;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Admission of the connections of one listener (decision 0012). A connection is <em>pending</em>
 * from accept until it authenticates, then holds an <em>authenticated</em> slot. The two are
 * bounded apart, so connections that never authenticate cannot take the slots of those that do:
 * when the pending pool is full, the oldest pending connection is evicted (handed to the eviction
 * action, which closes it) to make room for the new one, since a real client sends its AUTH
 * right after connecting and the oldest has had the longest to do so. A connection whose first
 * frame had already arrived at accept ({@link Connection#firstFrameArrived}) is answered at once by
 * its thread and never joins the pool, so no flood can evict it. Thread-safe.
 */
public final class Admission {
    private final Semaphore authenticated;
    private final int pendingLimit;
    private final Consumer<Connection> eviction;
    /** Pending connections in accept order; guarded by {@code this}. */
    private final LinkedHashSet<Connection> pending = new LinkedHashSet<>();

    /**
     * @param authenticatedLimit concurrent authenticated connections
     * @param pendingLimit       concurrent connections that have not authenticated yet
     * @param eviction           called (outside any lock) with each pending connection evicted; must close it
     */
    public Admission(int authenticatedLimit, int pendingLimit, Consumer<Connection> eviction) {
        if (authenticatedLimit < 1 || pendingLimit < 1) {
            throw new IllegalArgumentException("admission limits must be positive");
        }
        this.authenticated = new Semaphore(authenticatedLimit);
        this.pendingLimit = pendingLimit;
        this.eviction = eviction;
    }

    /** True while every authenticated slot is taken: a new connection could not be served now. */
    public boolean authenticatedFull() {
        return authenticated.availablePermits() == 0;
    }

    /**
     * Registers a just-accepted connection as pending, evicting the oldest pending one when the pool
     * is full; a connection whose first frame already arrived is not pending at all.
     */
    public Ticket enter(Connection conn) {
        if (conn.firstFrameArrived()) {
            return new Ticket(conn, false);
        }
        Connection evicted = null;
        synchronized (this) {
            if (pending.size() >= pendingLimit) {
                Iterator<Connection> oldest = pending.iterator();
                evicted = oldest.next();
                oldest.remove();
            }
            pending.add(conn);
        }
        if (evicted != null) {
            eviction.accept(evicted);
        }
        return new Ticket(conn, true);
    }

    private synchronized boolean leavePending(Connection conn) {
        return pending.remove(conn);
    }

    /** One connection's place: pending until {@link #authenticate}, released by {@link #close}. Used by one thread. */
    public final class Ticket implements AutoCloseable {
        private final Connection conn;
        private final boolean pooled;
        private boolean holdsSlot;

        private Ticket(Connection conn, boolean pooled) {
            this.conn = conn;
            this.pooled = pooled;
        }

        /**
         * Moves the connection from the pending pool to an authenticated slot. False when every slot
         * is taken, or when the connection was evicted meanwhile; it then holds nothing.
         */
        public boolean authenticate() {
            if (holdsSlot) {
                return true;
            }
            if (pooled && !leavePending(conn)) {
                return false;
            }
            holdsSlot = authenticated.tryAcquire();
            return holdsSlot;
        }

        /** Leaves the pending pool or gives the authenticated slot back; idempotent. */
        @Override
        public void close() {
            leavePending(conn);
            if (holdsSlot) {
                holdsSlot = false;
                authenticated.release();
            }
        }
    }
}

package dev.bhatti.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Closes a connection when a deadline passes unless disarmed first, so a
 * blocking read on it has a bounded wait. One virtual thread per armed watchdog.
 */
final class Watchdog implements AutoCloseable {
    private enum State { ARMED, DISARMED, FIRED }

    private final AtomicReference<State> state = new AtomicReference<>(State.ARMED);
    private final Thread thread;

    private Watchdog(Duration after, AgentConnection target) {
        long deadline = System.nanoTime() + after.toNanos();
        this.thread = Thread.ofVirtual().name("bhatti-watchdog").start(() -> {
            for (long left = deadline - System.nanoTime(); left > 0 && state.get() == State.ARMED;
                    left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
            if (state.compareAndSet(State.ARMED, State.FIRED)) {
                closeOnDeadline(target);
            }
        });
    }

    /** Closes {@code target} after {@code after} unless {@link #close()} comes first. */
    static Watchdog arm(Duration after, AgentConnection target) {
        return new Watchdog(after, target);
    }

    private static void closeOnDeadline(AgentConnection target) {
        try {
            target.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing a connection past its deadline", e);
        }
    }

    /** True when the deadline passed and the connection was closed. */
    boolean fired() {
        return state.get() == State.FIRED;
    }

    /** Disarms: the connection is left alone. */
    @Override
    public void close() {
        if (state.compareAndSet(State.ARMED, State.DISARMED)) {
            LockSupport.unpark(thread);
        }
    }
}

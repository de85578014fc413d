package dev.bhatti.agent.files;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Polling with a deadline instead of sleeping for a guessed time; checks every few milliseconds. */
public final class Poll {
    private static final Duration PAUSE = Duration.ofMillis(5);

    public interface Condition {
        boolean holds() throws Exception;
    }

    private Poll() {}

    /** True as soon as the condition holds; false if it still does not at the deadline. */
    public static boolean until(Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.holds()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(PAUSE.toNanos());
        }
    }
}

package dev.bhatti.agent.activity;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's "last activity" clock (SPEC §2.6): touched by exec and attach
 * requests, file reads and writes and every STDIN frame; not by stat, ls,
 * list or activity queries.
 */
public final class Activity {
    private final Clock clock;
    private final AtomicLong lastMillis;

    public Activity(Clock clock) {
        this.clock = clock;
        this.lastMillis = new AtomicLong(clock.millis());
    }

    public void touch() {
        lastMillis.set(clock.millis());
    }

    /** Unix seconds of the last activity (the agent's start counts as activity). */
    public long lastUnixSeconds() {
        return lastMillis.get() / 1000;
    }
}

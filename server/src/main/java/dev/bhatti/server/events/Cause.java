package dev.bhatti.server.events;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * Why a lifecycle change happened. The code that acts on a sandbox for a reason other than an API
 * request binds it around the call ({@link #run}); anything unbound is a request of the API.
 */
public enum Cause {
    API, THERMAL, PUBLIC_PREVIEW, RECOVERY, SHUTDOWN,
    /** An E2B sandbox's timeout expired (docs/e2b.md). */
    TIMEOUT;

    private static final ScopedValue<Cause> CURRENT = ScopedValue.newInstance();

    /** The cause bound on this thread, else {@link #API}. */
    public static Cause current() {
        return CURRENT.orElse(API);
    }

    /** Runs {@code action} with this cause bound. */
    public void run(Runnable action) {
        ScopedValue.where(CURRENT, this).run(action);
    }

    /** Answers {@code action}'s result, computed with this cause bound. */
    public <T> T get(Supplier<T> action) {
        return ScopedValue.where(CURRENT, this).call(action::get);
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}

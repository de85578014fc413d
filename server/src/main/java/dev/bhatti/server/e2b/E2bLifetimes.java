package dev.bhatti.server.e2b;

import dev.bhatti.api.SandboxStatus;
import dev.bhatti.server.events.Cause;
import dev.bhatti.server.sandbox.PatchRequest;
import dev.bhatti.server.sandbox.Sandboxes;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.Store;
import dev.bhatti.server.store.User;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timeouts of sandboxes made through the E2B API, kept as labels so that they are visible in
 * {@code bhatti list} and survive a daemon restart: {@code e2b.template} marks a sandbox made by
 * the E2B API, {@code e2b.end_at} is its expiry (unix seconds), {@code e2b.on_timeout} is
 * {@code pause} when it is paused rather than destroyed at expiry. A reaper looks once a second.
 */
public final class E2bLifetimes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(E2bLifetimes.class);
    public static final String TEMPLATE = "e2b.template";
    public static final String END_AT = "e2b.end_at";
    public static final String ON_TIMEOUT = "e2b.on_timeout";
    public static final String PREFIX = "e2b.";
    /** E2B's default sandbox timeout, seconds. */
    public static final int DEFAULT_TIMEOUT_SEC = 300;
    /** The longest timeout a sandbox may be given, seconds (E2B's Pro tier allows a day). */
    public static final int MAX_TIMEOUT_SEC = 24 * 3600;

    private final Store store;
    private final Sandboxes sandboxes;
    private final Clock clock;
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("e2b-timeouts").daemon().factory());

    public E2bLifetimes(Store store, Sandboxes sandboxes, Clock clock) {
        this.store = store;
        this.sandboxes = sandboxes;
        this.clock = clock;
    }

    /** Starts the reaper. */
    public E2bLifetimes start() {
        reaper.scheduleWithFixedDelay(this::reapLogged, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    /** The expiry of a row, if it has one. */
    public static Optional<Instant> endAt(SandboxRow row) {
        String v = row.labels().get(END_AT);
        try {
            return v == null ? Optional.empty() : Optional.of(Instant.ofEpochSecond(Long.parseLong(v)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Sets the expiry of the user's sandbox to {@code seconds} from now (shorter or longer). */
    public void setTimeout(User user, String id, long seconds) {
        long at = clock.instant().getEpochSecond() + Math.clamp(seconds, 0, MAX_TIMEOUT_SEC);
        sandboxes.patch(user, id, new PatchRequest(null, null, Map.of(END_AT, Long.toString(at)), List.of(), null));
    }

    /** Extends the expiry to at least {@code seconds} from now (connect never shortens). */
    public void extend(User user, SandboxRow row, long seconds) {
        long at = clock.instant().getEpochSecond() + Math.clamp(seconds, 0, MAX_TIMEOUT_SEC);
        if (endAt(row).map(Instant::getEpochSecond).orElse(0L) < at) {
            sandboxes.patch(user, row.id(), new PatchRequest(null, null, Map.of(END_AT, Long.toString(at)), List.of(), null));
        }
    }

    private void reapLogged() {
        try {
            reap();
        } catch (RuntimeException e) {
            log.warn("event=e2b_reap_failed error=\"{}\"", e.getMessage());
        }
    }

    /** Destroys, or stops, every sandbox whose expiry has passed. */
    void reap() {
        Instant now = clock.instant();
        for (SandboxRow row : store.allSandboxes()) {
            Optional<Instant> end = endAt(row);
            // a row without VM state is still being created: its create sets the timeout when it is up
            if (end.isEmpty() || end.get().isAfter(now) || row.vmState() == null) {
                continue;
            }
            Optional<User> owner = store.userById(row.userId());
            if (owner.isEmpty()) {
                continue;
            }
            try {
                Cause.TIMEOUT.run(() -> expire(owner.get(), row));
            } catch (RuntimeException e) {
                log.warn("event=e2b_timeout_failed sandbox={} error=\"{}\"", row.id(), e.getMessage());
            }
        }
    }

    private void expire(User owner, SandboxRow row) {
        if ("pause".equals(row.labels().get(ON_TIMEOUT))) {
            // paused sandboxes have no timer: connect resumes and sets a new one
            sandboxes.patch(owner, row.id(), new PatchRequest(null, null, Map.of(), List.of(END_AT), null));
            if (!SandboxStatus.STOPPED.wire().equals(row.status())) {
                sandboxes.stop(owner, row.id());
            }
            log.info("event=e2b_timeout sandbox={} action=pause", row.id());
        } else {
            sandboxes.destroy(owner, row.id());
            log.info("event=e2b_timeout sandbox={} action=kill", row.id());
        }
    }

    @Override
    public void close() {
        reaper.shutdownNow();
    }
}

package dev.bhatti.server.thermal;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Host-side activity per sandbox (SPEC §5): when the API last touched it, and what holds it hot
 * right now (an attached API shell, an open proxied WebSocket). Thread-safe.
 */
public final class ActivityCache {
    private final Clock clock;
    private final Map<String, Instant> last = new ConcurrentHashMap<>();
    /** Open holds per sandbox; each set is replaced, never mutated, so readers see a whole one. */
    private final Map<String, Set<Hold>> holds = new ConcurrentHashMap<>();

    public ActivityCache(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Something keeps a sandbox hot until closed; closing it counts as activity. Closes once. */
    public final class Hold implements AutoCloseable {
        private final String id;
        private final AtomicBoolean released = new AtomicBoolean();

        private Hold(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** Releases the hold; later calls do nothing. */
        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                boolean[] wasOpen = {false};
                holds.computeIfPresent(id, (k, set) -> {
                    wasOpen[0] = set.contains(this);
                    return without(set, this);
                });
                if (wasOpen[0]) {
                    touch(id);
                }
            }
        }
    }

    /** Records API activity on a sandbox now. */
    public void touch(String id) {
        last.put(Objects.requireNonNull(id, "id"), clock.instant());
    }

    /** When the API last touched the sandbox, if ever (since the daemon started). */
    public Optional<Instant> last(String id) {
        return Optional.ofNullable(last.get(id));
    }

    /** Holds the sandbox hot until the returned hold is closed; counts as activity. */
    public Hold hold(String id) {
        Hold h = new Hold(Objects.requireNonNull(id, "id"));
        holds.merge(id, Set.of(h), (a, b) -> with(a, h));
        touch(id);
        return h;
    }

    /** Whether anything holds the sandbox hot right now. */
    public boolean held(String id) {
        Set<Hold> set = holds.get(id);
        return set != null && !set.isEmpty();
    }

    /** Drops everything known about a sandbox (destroyed); its open holds release nothing later. */
    public void forget(String id) {
        last.remove(id);
        holds.remove(id);
    }

    private static Set<Hold> with(Set<Hold> set, Hold h) {
        Set<Hold> copy = new HashSet<>(set);
        copy.add(h);
        return Set.copyOf(copy);
    }

    private static Set<Hold> without(Set<Hold> set, Hold h) {
        Set<Hold> copy = new HashSet<>(set);
        copy.remove(h);
        return copy.isEmpty() ? null : Set.copyOf(copy);
    }
}

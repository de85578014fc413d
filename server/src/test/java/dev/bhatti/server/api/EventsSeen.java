package dev.bhatti.server.api;

import dev.bhatti.api.model.LifecycleEvent;
import dev.bhatti.sdk.Bhatti;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** Reads a user's retained and new lifecycle events through the SDK, with a deadline instead of a hang. */
final class EventsSeen {
    private EventsSeen() {}

    /**
     * The events of {@code sandbox} (all of the caller's when null) from the first retained one up
     * to and including the first that {@code last} accepts; fails after {@code within}.
     */
    static List<LifecycleEvent> until(Bhatti client, String sandbox, Predicate<LifecycleEvent> last, Duration within)
            throws InterruptedException, ExecutionException {
        List<LifecycleEvent> seen = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                client.events().follow(sandbox, 0, e -> {
                    synchronized (seen) {
                        seen.add(e);
                    }
                    return !last.test(e);
                });
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            done.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            synchronized (seen) {
                throw new AssertionError("the awaited event did not come within " + within + "; seen: " + seen);
            }
        }
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }
}

package dev.bhatti.server.api;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.server.sandbox.Sandboxes;
import dev.bhatti.server.store.SandboxRow;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes for public preview traffic: concurrent requests to one sleeping sandbox share one wake,
 * and at most {@link #MAX_CONCURRENT} wakes run at once; beyond that a request is answered 503
 * with {@code Retry-After} rather than queued behind restores it cannot see.
 */
final class Wakes {
    private static final Logger log = LoggerFactory.getLogger(Wakes.class);
    static final int MAX_CONCURRENT = 10;
    static final int RETRY_AFTER_SEC = 5;
    private static final long WAIT_MINUTES = 5;

    private final Sandboxes sandboxes;
    private final Semaphore slots = new Semaphore(MAX_CONCURRENT);
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    Wakes(Sandboxes sandboxes) {
        this.sandboxes = sandboxes;
    }

    /** Returns once the sandbox is hot; joins a wake already under way for it. */
    void wake(SandboxRow row) {
        if (sandboxes.isHot(row.id())) {
            return;
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> shared = inFlight.putIfAbsent(row.id(), mine);
        if (shared != null) {
            await(shared, row.id());
            return;
        }
        try {
            if (!slots.tryAcquire()) {
                throw new ApiException(ErrorCode.TOO_MANY_WAKES, MAX_CONCURRENT
                        + " sandboxes are being woken already; retry in " + RETRY_AFTER_SEC + " s", RETRY_AFTER_SEC);
            }
            try {
                long t0 = System.nanoTime();
                dev.bhatti.server.events.Cause.PUBLIC_PREVIEW.run(() -> sandboxes.ensureHot(row));
                log.info("event=preview_wake sandbox={} ms={}", row.id(), (System.nanoTime() - t0) / 1_000_000);
            } finally {
                slots.release();
            }
            mine.complete(null);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(row.id(), mine);
        }
    }

    private static void await(CompletableFuture<Void> wake, String id) {
        try {
            wake.get(WAIT_MINUTES, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("waking sandbox " + id + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new ApiException(ErrorCode.WAKE_TIMEOUT, "sandbox " + id + " did not wake within " + WAIT_MINUTES + " min");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.WAKE_INTERRUPTED, "waiting for sandbox " + id + " to wake was interrupted");
        }
    }
}

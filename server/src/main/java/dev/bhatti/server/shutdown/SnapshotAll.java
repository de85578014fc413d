package dev.bhatti.server.shutdown;

import dev.bhatti.engine.Engine;
import dev.bhatti.engine.EngineException;
import dev.bhatti.server.events.Cause;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful shutdown (SPEC §7): snapshots every given sandbox to disk ({@link Engine#stop}), up to
 * {@value #PARALLEL} at a time, each tried at most {@value #ATTEMPTS} times. Cold sandboxes are a
 * no-op for the engine. A sandbox the engine does not know is not retried.
 */
public final class SnapshotAll {
    private static final Logger log = LoggerFactory.getLogger(SnapshotAll.class);
    public static final int PARALLEL = 10;
    public static final int ATTEMPTS = 2;

    /** One sandbox's outcome; {@code failure} is the last error when it could not be snapshotted. */
    public record Result(String id, int attempts, Optional<String> failure) {
        public Result {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(failure, "failure");
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
            }
        }

        public boolean ok() {
            return failure.isEmpty();
        }
    }

    /** Every sandbox's result, in the order given. */
    public record Report(List<Result> results) {
        public Report {
            results = List.copyOf(results);
        }

        public List<Result> failed() {
            return results.stream().filter(r -> !r.ok()).toList();
        }

        public boolean allOk() {
            return results.stream().allMatch(Result::ok);
        }
    }

    private SnapshotAll() {}

    public static Report run(Engine engine, List<String> ids) {
        Semaphore slots = new Semaphore(PARALLEL);
        List<Future<Result>> futures = new ArrayList<>();
        try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String id : ids) {
                futures.add(each.submit(() -> withSlot(slots, () -> Cause.SHUTDOWN.get(() -> snapshot(engine, id)))));
            }
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            results.add(result(ids.get(i), futures.get(i)));
        }
        Report report = new Report(results);
        log.info("event=snapshot_all_done sandboxes={} failed={}", ids.size(), report.failed().size());
        return report;
    }

    private static Result withSlot(Semaphore slots, java.util.function.Supplier<Result> work) throws InterruptedException {
        slots.acquire();
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }

    private static Result snapshot(Engine engine, String id) {
        String last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                engine.stop(id);
                log.info("event=shutdown_snapshot sandbox={} attempt={}", id, attempt);
                return new Result(id, attempt, Optional.empty());
            } catch (EngineException.NotFound e) {
                log.error("event=shutdown_snapshot_failed sandbox={} attempt={} error=\"{}\"", id, attempt, e.getMessage());
                return new Result(id, attempt, Optional.of(e.getMessage()));
            } catch (RuntimeException e) {
                last = e.getMessage();
                log.warn("event=shutdown_snapshot_failed sandbox={} attempt={} error=\"{}\"", id, attempt, last);
            }
        }
        return new Result(id, ATTEMPTS, Optional.of(String.valueOf(last)));
    }

    private static Result result(String id, Future<Result> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            return new Result(id, 1, Optional.of("snapshot task failed: " + e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(id, 1, Optional.of("interrupted while waiting for the snapshot"));
        }
    }
}

package dev.bhatti.cli.term;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A one-line spinner with the elapsed time on stderr while a long request runs, erased when it
 * ends. Shown only when stderr is a terminal, so piped output and tests stay clean.
 */
public final class Progress implements AutoCloseable {
    private static final String FRAMES = "|/-\\";
    private static final long TICK_NANOS = Duration.ofMillis(100).toNanos();
    private static final String ERASE_LINE = "\r\033[K";

    private final PrintWriter err;
    private final String label;
    private final long start = System.nanoTime();
    private final Thread ticker;
    private volatile boolean done;

    private Progress(PrintWriter err, String label, boolean shown) {
        this.err = err;
        this.label = label;
        if (shown) {
            draw(0);
            this.ticker = Thread.ofVirtual().name("progress").start(this::tick);
        } else {
            this.ticker = null;
        }
    }

    /** Runs {@code work} with the spinner showing {@code label} (e.g. "creating web"). */
    public static <T> T around(PrintWriter err, String label, Supplier<T> work) {
        try (Progress ignored = start(err, label, dev.bhatti.cli.Invocation.current().isTerminal(Tty.STDERR))) {
            return work.get();
        }
    }

    static Progress start(PrintWriter err, String label, boolean shown) {
        return new Progress(err, label, shown);
    }

    private void tick() {
        for (int frame = 1; !done; frame++) {
            LockSupport.parkNanos(TICK_NANOS);
            if (!done) {
                draw(frame);
            }
        }
    }

    private void draw(int frame) {
        double seconds = (System.nanoTime() - start) / 1e9;
        err.printf("\r%c %s %.1fs", FRAMES.charAt(frame % FRAMES.length()), label, seconds);
        err.flush();
    }

    /** Stops the spinner and erases its line (no-op when it was not shown). */
    @Override
    public void close() {
        if (ticker == null) {
            return;
        }
        done = true;
        LockSupport.unpark(ticker);
        try {
            ticker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        err.print(ERASE_LINE);
        err.flush();
    }
}

package dev.bhatti.agent.process;

import dev.bhatti.agent.posix.Fd;
import dev.bhatti.agent.posix.Poller;
import dev.bhatti.proto.Wire;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies a child's output descriptors to sinks in chunks of at most 32 KiB, all on the calling
 * thread with one {@code poll} over every descriptor, until each reached end of file. A
 * background grandchild may keep a descriptor open after the child exited; so once the child has
 * exited the pump keeps reading only while output keeps coming, and stops after a quiet pause or
 * a bounded drain. Blocking native calls: run it on a platform thread.
 */
public final class OutputPump {
    /** How long to wait for more output after the child exited before calling it done. */
    static final Duration QUIET_AFTER_EXIT = Duration.ofMillis(100);
    /** Longest drain after the child exited. */
    static final Duration MAX_DRAIN = Duration.ofSeconds(2);
    /** How often a silent, still-open descriptor makes the pump look at the child. */
    private static final Duration RECHECK = Duration.ofMillis(100);

    /** Receives one chunk; {@code buf} is reused after the call returns. */
    @FunctionalInterface
    public interface Sink {
        void accept(byte[] buf, int len) throws IOException;
    }

    /** Tells whether the child has exited, without blocking. */
    @FunctionalInterface
    public interface ExitCheck {
        boolean exited() throws IOException;
    }

    /** One descriptor and where its bytes go. */
    public record Source(Fd fd, Sink sink) {}

    private OutputPump() {}

    public static void run(List<Source> sources, ExitCheck child) throws IOException {
        List<Source> open = new ArrayList<>(sources);
        byte[] buf = new byte[Wire.CHUNK_SIZE];
        long drainDeadline = Long.MAX_VALUE;
        while (!open.isEmpty()) {
            boolean exited = drainDeadline != Long.MAX_VALUE;
            int ready = Poller.awaitReadable(exited ? QUIET_AFTER_EXIT : RECHECK,
                    open.stream().map(Source::fd).toArray(Fd[]::new));
            if (ready == 0) {
                if (exited) {
                    return;
                }
                if (child.exited()) {
                    drainDeadline = System.nanoTime() + MAX_DRAIN.toNanos();
                }
                continue;
            }
            copyReady(open, ready, buf);
            if (System.nanoTime() > drainDeadline) {
                return;
            }
        }
    }

    private static void copyReady(List<Source> open, int ready, byte[] buf) throws IOException {
        List<Source> finished = new ArrayList<>(1);
        for (int i = 0; i < open.size(); i++) {
            if ((ready & (1 << i)) == 0) {
                continue;
            }
            Source s = open.get(i);
            int n = s.fd().read(buf, 0, buf.length);
            if (n < 0) {
                finished.add(s);
            } else {
                s.sink().accept(buf, n);
            }
        }
        open.removeAll(finished);
    }
}

package dev.bhatti.agent.process;

import dev.bhatti.agent.posix.Fd;
import dev.bhatti.proto.Wire;
import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Copies a child's output descriptor to a sink in chunks of at most 32 KiB
 * until end of file. A background grandchild may keep the descriptor open
 * after the child exited; so once {@code exited} turns true the pump keeps
 * reading only while output keeps coming, and stops after a quiet pause or a
 * bounded drain. Runs on a platform thread (blocking native calls).
 */
public final class OutputPump {
    /** How long to wait for more output after the child exited before calling it done. */
    static final Duration QUIET_AFTER_EXIT = Duration.ofMillis(100);
    /** Longest drain after the child exited. */
    static final Duration MAX_DRAIN = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(250);

    /** Receives one chunk; {@code buf} is reused after the call returns. */
    @FunctionalInterface
    public interface Sink {
        void accept(byte[] buf, int len) throws IOException;
    }

    private OutputPump() {}

    public static void run(Fd fd, Sink sink, BooleanSupplier exited) throws IOException {
        byte[] buf = new byte[Wire.CHUNK_SIZE];
        long drainDeadline = Long.MAX_VALUE;
        while (true) {
            boolean done = exited.getAsBoolean();
            if (done && drainDeadline == Long.MAX_VALUE) {
                drainDeadline = System.nanoTime() + MAX_DRAIN.toNanos();
            }
            if (!fd.awaitReadable(done ? QUIET_AFTER_EXIT : POLL)) {
                if (done) {
                    return;
                }
                continue;
            }
            int n = fd.read(buf, 0, buf.length);
            if (n < 0) {
                return;
            }
            sink.accept(buf, n);
            if (System.nanoTime() > drainDeadline) {
                return;
            }
        }
    }
}

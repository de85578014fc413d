package dev.bhatti.agent.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Deadline-bounded polls on processes and files for agent tests. */
final class Processes {
    private static final long POLL_NANOS = 10_000_000;

    private Processes() {}

    /** True once the pid no longer exists or is a zombie, polled until the deadline. */
    static boolean goneWithin(long pid, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            if (gone(pid)) {
                return true;
            }
            LockSupport.parkNanos(POLL_NANOS);
        } while (System.nanoTime() < deadline);
        return gone(pid);
    }

    private static boolean gone(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String s = Files.readString(stat);
            return s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.nio.file.NoSuchFileException e) {
            return true;
        }
    }

    static boolean fileContainsWithin(Path file, String expected, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).equals(expected)) {
                return true;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return false;
    }

    /** Waits until the wall clock's unix second is past {@code second}. */
    static void awaitNextSecond(long second) {
        while (System.currentTimeMillis() / 1000 <= second) {
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}

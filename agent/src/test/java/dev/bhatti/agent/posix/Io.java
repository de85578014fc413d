package dev.bhatti.agent.posix;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Bounded reads and polling for tests: nothing here blocks past its deadline. */
final class Io {
    static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(2);

    private Io() {}

    /** Reads text until end of file, failing the test if it takes longer than {@link #DEADLINE}. */
    static String readAll(Fd fd) throws IOException {
        return new String(readAllBytes(fd), StandardCharsets.UTF_8);
    }

    /** Reads until end of file, failing the test if it takes longer than {@link #DEADLINE}. */
    static byte[] readAllBytes(Fd fd) throws IOException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (true) {
            awaitReadable(fd, deadline, out);
            int n = fd.read(buf, 0, buf.length);
            if (n < 0) {
                return out.toByteArray();
            }
            out.write(buf, 0, n);
        }
    }

    /** Reads up to and including the next newline; returns the line without it. */
    static String readLine(Fd fd) throws IOException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] one = new byte[1];
        while (true) {
            awaitReadable(fd, deadline, out);
            int n = fd.read(one, 0, 1);
            if (n < 0 || one[0] == '\n') {
                return out.toString(StandardCharsets.UTF_8);
            }
            out.write(one[0]);
        }
    }

    static void write(Fd fd, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        fd.write(bytes, 0, bytes.length);
    }

    /** Polls {@code condition} until it holds, failing after {@link #DEADLINE}. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        }
    }

    /** True when {@code pid} no longer exists or is a zombie. */
    static boolean isGoneOrZombie(long pid) {
        String stat = procStat(pid);
        return stat == null || stateOf(stat) == 'Z';
    }

    /** The contents of /proc/PID/stat, or null when there is no such process. */
    static String procStat(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) { // NoSuchFileException, or ESRCH while it is being reaped
            return null;
        }
    }

    /** The open(2) flags of descriptor {@code fd} of this JVM, from /proc/self/fdinfo. */
    static int fdFlags(int fd) throws IOException {
        String flags = Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd)).stream()
                .filter(line -> line.startsWith("flags:")).findFirst().orElseThrow();
        return Integer.parseInt(flags.substring("flags:".length()).trim(), 8);
    }

    /** True when some thread of this JVM is blocked in {@code read(fd, ...)}. */
    static boolean someThreadIsReading(int fd) {
        String prefix = "0 0x" + Integer.toHexString(fd) + " "; // syscall 0 is read on x86_64
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.anyMatch(task -> {
                try {
                    return Files.readString(task.resolve("syscall")).startsWith(prefix);
                } catch (IOException e) { // the thread exited meanwhile
                    return false;
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The one-letter state field of a /proc/PID/stat line. */
    static char stateOf(String stat) {
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    /** The process group field of a /proc/PID/stat line. */
    static int processGroupOf(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[2]); // state, ppid, pgrp
    }

    private static void awaitReadable(Fd fd, long deadline, ByteArrayOutputStream soFar) throws IOException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || !fd.awaitReadable(Duration.ofNanos(remaining))) {
            fail("timed out reading " + fd + "; read so far: " + soFar.toString(StandardCharsets.UTF_8));
        }
    }
}

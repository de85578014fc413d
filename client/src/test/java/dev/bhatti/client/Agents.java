package dev.bhatti.client;

import static org.assertj.core.api.Assertions.fail;

import dev.bhatti.agent.LoharProcess;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/** Test helpers: clients of a real lohar, terminal reads and polling with deadlines. */
final class Agents {
    static final Duration WAIT = Duration.ofSeconds(20);

    private Agents() {}

    /** A condition that may do I/O. */
    interface Check {
        boolean holds() throws Exception;
    }

    static AgentClient client(LoharProcess lohar) {
        return client(lohar, Optional.empty());
    }

    static AgentClient client(LoharProcess lohar, Optional<String> token) {
        return new AgentClient(Transport.unix(lohar.controlSocket(), lohar.forwardSocket()), token);
    }

    /** Reads output until it contains {@code needle}; fails on exit, close or the deadline, showing what came. */
    static String readUntil(Terminal terminal, String needle) throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!seen.toString(StandardCharsets.UTF_8).contains(needle)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no \"%s\" within %s; got: %s", needle, WAIT, seen.toString(StandardCharsets.UTF_8));
            }
            Optional<Terminal.Event> event = terminal.read(Duration.ofNanos(left));
            if (event.isPresent()) {
                switch (event.get()) {
                    case Terminal.Event.Output o -> seen.writeBytes(o.data());
                    case Terminal.Event.Stderr e -> seen.writeBytes(e.data());
                    case Terminal.Event.Exit x -> fail("exit %d before \"%s\"; got: %s", x.code(), needle, seen);
                    case Terminal.Event.Closed c -> fail("closed before \"%s\"; got: %s", needle, seen);
                }
            }
        }
        return seen.toString(StandardCharsets.UTF_8);
    }

    /** Skips output until the stream's end: the exit code, or empty when it closed without one. */
    static Optional<Integer> readToEnd(Terminal terminal) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Terminal.Event> event = terminal.read(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (event.isPresent()) {
                switch (event.get()) {
                    case Terminal.Event.Output o -> { }
                    case Terminal.Event.Stderr e -> { }
                    case Terminal.Event.Exit x -> {
                        return Optional.of(x.code());
                    }
                    case Terminal.Event.Closed c -> {
                        return Optional.empty();
                    }
                }
            }
        }
        throw new AssertionError("terminal did not end within " + WAIT);
    }

    /** Polls {@code condition} every 10 ms until it holds; fails after the deadline. */
    static void awaitTrue(String what, Check condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                fail("%s did not happen within %s", what, WAIT);
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }
}

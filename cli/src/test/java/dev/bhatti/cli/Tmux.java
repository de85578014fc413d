package dev.bhatti.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A private tmux server (its own socket, no user config) whose windows are real pseudo-terminals:
 * tests start a command in a detached session, type into it and read the screen back.
 * {@link #close} ends every pane's process tree and the server, by pid.
 */
public final class Tmux implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);

    private final Path socket;
    private final Map<String, String> env;

    /** {@code env}: set for the server and so for every pane (the server keeps the first client's environment). */
    public Tmux(Path socket, Map<String, String> env) {
        this.socket = socket;
        this.env = env;
    }

    /** A detached session {@code name} of {@code cols}×{@code rows} running {@code command} directly. */
    public void start(String name, int cols, int rows, String... command) {
        List<String> args = new ArrayList<>(List.of("new-session", "-d", "-s", name, "-x", String.valueOf(cols),
                "-y", String.valueOf(rows)));
        env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        args.addAll(List.of(command));
        tmux(args.toArray(String[]::new));
    }

    /** Types {@code text} literally, then presses Enter. */
    public void typeLine(String name, String text) {
        tmux("send-keys", "-t", name, "-l", text);
        keys(name, "Enter");
    }

    /** Presses keys by tmux name ({@code Enter}, {@code C-c}, {@code C-\}). */
    public void keys(String name, String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", name));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** The whole pane, scrollback included, wrapped lines joined. */
    public String screen(String name) {
        return tmux("capture-pane", "-p", "-J", "-S", "-", "-t", name);
    }

    /** {@code rows cols} of the pane as tmux sees it. */
    public String size(String name) {
        return tmux("display", "-p", "-t", name, "#{pane_height} #{pane_width}").strip();
    }

    public void resize(String name, int cols, int rows) {
        tmux("resize-window", "-t", name, "-x", String.valueOf(cols), "-y", String.valueOf(rows));
    }

    /** Polls the screen until {@code done} holds; fails with the screen after {@code timeout}. */
    public String await(String name, Duration timeout, String what, Predicate<String> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String screen = screen(name);
        while (!done.test(screen)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what
                        + "; screen:\n" + screen);
            }
            LockSupport.parkNanos(POLL.toNanos());
            screen = screen(name);
        }
        return screen;
    }

    @Override
    public void close() {
        Result server = run("display", "-p", "#{pid}");
        if (server.exit() != 0) {
            return;
        }
        run("list-panes", "-a", "-F", "#{pane_pid}").out().lines().filter(l -> !l.isBlank())
                .forEach(pid -> destroyTree(Long.parseLong(pid.strip())));
        destroyTree(Long.parseLong(server.out().strip()));
    }

    /** SIGTERM to the process and everything below it; SIGKILL to whatever is left after 10 s. */
    private static void destroyTree(long pid) {
        ProcessHandle.of(pid).ifPresent(p -> {
            List<ProcessHandle> tree = Stream.concat(p.descendants(), Stream.of(p)).toList();
            tree.forEach(ProcessHandle::destroy);
            tree.forEach(h -> {
                h.onExit().completeOnTimeout(h, 10, TimeUnit.SECONDS).join();
                if (h.isAlive()) {
                    h.destroyForcibly();
                }
            });
        });
    }

    private record Result(int exit, String out) {}

    private String tmux(String... args) {
        Result r = run(args);
        if (r.exit() != 0) {
            throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + r.out());
        }
        return r.out();
    }

    private Result run(String... args) {
        List<String> command = new ArrayList<>(List.of("tmux", "-S", socket.toString(), "-f", "/dev/null"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().remove("TMUX");
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("tmux " + String.join(" ", args) + " hung");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("cannot run tmux", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

package dev.bhatti.engine.net;

import dev.bhatti.engine.EngineException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs host tools ({@code ip}, {@code nft}, {@code sysctl}, qemu-img, mkfs.ext4) to completion,
 * optionally inside a network namespace ({@code ip netns exec <netns> ...}), so tests can run the
 * whole bridge plumbing inside a namespace of their own. A failure names what was attempted, the
 * command and its output.
 *
 * @param netns the namespace to run in; empty = the caller's own
 */
public record HostCommands(Optional<String> netns) {
    /** What a command printed (stdout and stderr together) and how it exited. */
    public record Result(int exit, String output) {
        public boolean ok() {
            return exit == 0;
        }
    }

    /** Commands run in the caller's own namespace. */
    public static HostCommands local() {
        return new HostCommands(Optional.empty());
    }

    /** Commands run inside {@code netns}. */
    public static HostCommands in(String netns) {
        return new HostCommands(Optional.of(netns));
    }

    /** Runs the command; a non-zero exit is a {@link EngineException.VmmFailed} naming {@code what}. */
    public String run(String what, List<String> command) {
        return feed(what, "", command);
    }

    /** Runs the command with {@code input} on its stdin; fails as {@link #run} does. */
    public String feed(String what, String input, List<String> command) {
        Result r = attempt(what, input, command);
        if (!r.ok()) {
            throw new EngineException.VmmFailed(what + ": " + String.join(" ", wrap(command)) + " exited " + r.exit()
                    + ": " + r.output().strip(), null);
        }
        return r.output();
    }

    /** Runs the command and reports how it exited; fails only when it cannot be run at all. */
    public Result attempt(String what, String input, List<String> command) {
        List<String> full = wrap(command);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new EngineException.VmmFailed(what + ": " + full.getFirst() + " timed out", null);
            }
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new EngineException.VmmFailed(what + ": cannot run " + full.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException.VmmFailed(what + ": interrupted", e);
        }
    }

    private List<String> wrap(List<String> command) {
        if (netns.isEmpty()) {
            return command;
        }
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", netns.get()));
        full.addAll(command);
        return full;
    }
}

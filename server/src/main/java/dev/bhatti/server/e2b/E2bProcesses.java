package dev.bhatti.server.e2b;

import dev.bhatti.client.Terminal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes envd's process service started, per sandbox. Each one is an agent session (piped
 * with stderr apart, or on a PTY), so it outlives every connection to it: the daemon follows it
 * and fans its output out to the streams following it ({@code Start}, {@code Connect}); when the
 * sandbox stops (an E2B pause) the connection ends but the session does not, and after the resume
 * the daemon attaches again from the last byte it had. Its {@code pid} is the guest's pid.
 */
public final class E2bProcesses {
    private static final Logger log = LoggerFactory.getLogger(E2bProcesses.class);

    private final Map<String, Map<Integer, E2bProcess>> bySandbox = new ConcurrentHashMap<>();

    /** What was asked to run, as envd's {@code ProcessConfig}. */
    public record Config(String cmd, List<String> args, Map<String, String> envs, String cwd) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cmd", cmd);
            m.put("args", args);
            m.put("envs", envs);
            if (cwd != null) {
                m.put("cwd", cwd);
            }
            return m;
        }
    }

    /** A follower's queue: envd {@code ProcessEvent} JSON maps, then {@link #END}. */
    public static final Object END = new Object();

    /** The sandbox's agent, as far as its sessions go: attach again, and SIGKILL. */
    public interface Guest {
        /** Attaches to the session, replaying its output from offset {@code from}; empty when it is gone. */
        Optional<Terminal> attach(String sessionId, long from) throws IOException;

        void kill(String sessionId) throws IOException;
    }

    /**
     * Registers a process from its freshly opened session; {@code first} follows it from its first
     * byte. The hold keeps its sandbox hot until it ends.
     */
    public E2bProcess start(String sandboxId, String tag, Config config, AutoCloseable hold, Terminal session,
                            Guest guest, BlockingQueue<Object> first, Integer deadlineSec) {
        E2bProcess p = new E2bProcess(this, sandboxId, tag, config, hold, session, guest, deadlineSec);
        p.follow(first);
        bySandbox.computeIfAbsent(sandboxId, id -> new ConcurrentHashMap<>()).put(p.pid, p);
        p.following(session);
        return p;
    }

    void forget(E2bProcess p) {
        Map<Integer, E2bProcess> procs = bySandbox.get(p.sandboxId);
        if (procs != null) {
            procs.remove(p.pid, p);
        }
    }

    /**
     * Attaches again to every process of the sandbox that lost its connection (after a resume);
     * a process whose session is gone ends. Returns once each one is attached or ended.
     */
    public void reattach(String sandboxId) {
        for (E2bProcess p : list(sandboxId)) {
            p.reattach();
        }
    }

    /** Ends every process of a sandbox whose sessions are gone (destroyed, or rolled back). */
    public void sandboxGone(String sandboxId, String why) {
        for (E2bProcess p : list(sandboxId)) {
            p.gone(why);
        }
        bySandbox.remove(sandboxId);
    }

    /** The running process of a sandbox by pid or tag. */
    public Optional<E2bProcess> find(String sandboxId, Integer pid, String tag) {
        Map<Integer, E2bProcess> procs = bySandbox.getOrDefault(sandboxId, Map.of());
        if (pid != null) {
            return Optional.ofNullable(procs.get(pid));
        }
        return procs.values().stream().filter(p -> tag != null && tag.equals(p.tag)).findFirst();
    }

    /** The sandbox's running processes, by pid. */
    public List<E2bProcess> list(String sandboxId) {
        List<E2bProcess> out = new ArrayList<>(bySandbox.getOrDefault(sandboxId, Map.of()).values());
        out.sort(Comparator.comparingInt(p -> p.pid));
        return out;
    }

    /** Waits for a follower's next event, or empty after {@code ms} without one (time for a keepalive). */
    public static Optional<Object> next(BlockingQueue<Object> q, long ms) throws InterruptedException {
        return Optional.ofNullable(q.poll(ms, TimeUnit.MILLISECONDS));
    }

    static void logReleaseFailure(String sandboxId, Exception e) {
        log.debug("event=e2b_hold_release_failed sandbox={} error=\"{}\"", sandboxId, e.getMessage());
    }
}

package dev.bhatti.server.e2b;

import dev.bhatti.client.Terminal;
import dev.bhatti.proto.Json;
import dev.bhatti.proto.SessionInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * the daemon attaches again from the last byte it had. Its {@code pid} is the guest's pid. Each
 * session is labelled with its process's config, so a daemon that restarted takes it over
 * ({@link #adopt}).
 */
public final class E2bProcesses {
    private static final Logger log = LoggerFactory.getLogger(E2bProcesses.class);

    private final Map<String, Map<Integer, E2bProcess>> bySandbox = new ConcurrentHashMap<>();
    /** Sandboxes whose sessions from a previous daemon were taken over (or that had none). */
    private final Set<String> adopted = ConcurrentHashMap.newKeySet();
    private final Map<String, Object> adopting = new ConcurrentHashMap<>();

    /** What was asked to run, as envd's {@code ProcessConfig}, and the process's tag. */
    public record Config(String cmd, List<String> args, Map<String, String> envs, String cwd, String tag) {
        public Config {
            args = args == null ? List.of() : List.copyOf(args);
            envs = envs == null ? Map.of() : Map.copyOf(envs);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cmd", cmd);
            m.put("args", args);
            m.put("envs", envs);
            if (cwd != null) {
                m.put("cwd", cwd);
            }
            if (tag != null) {
                m.put("tag", tag);
            }
            return m;
        }

        /** The agent session's label: how a later daemon knows the session for this process. */
        public String label() {
            return LABEL_PREFIX + new String(Json.encode(json()), java.nio.charset.StandardCharsets.UTF_8);
        }

        /** The config a label holds; empty for a session that is not an E2B process. */
        static Optional<Config> fromLabel(String label) {
            if (label == null || !label.startsWith(LABEL_PREFIX)) {
                return Optional.empty();
            }
            try {
                Map<?, ?> m = Json.mapper().readValue(label.substring(LABEL_PREFIX.length()), Map.class);
                Map<String, String> envs = new LinkedHashMap<>();
                if (m.get("envs") instanceof Map<?, ?> e) {
                    e.forEach((k, v) -> envs.put(String.valueOf(k), String.valueOf(v)));
                }
                List<String> args = m.get("args") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
                return Optional.of(new Config(String.valueOf(m.get("cmd")), args, envs,
                        m.get("cwd") instanceof String c ? c : null, m.get("tag") instanceof String t ? t : null));
            } catch (IOException | RuntimeException e) {
                log.warn("event=e2b_label_unreadable error=\"{}\"", e.getMessage());
                return Optional.empty();
            }
        }
    }

    static final String LABEL_PREFIX = "e2b ";

    /** A follower's queue: envd {@code ProcessEvent} JSON maps, then {@link #END}. */
    public static final Object END = new Object();

    /** The sandbox's agent, as far as its sessions go: list, attach again, SIGKILL, hold it hot. */
    public interface Guest {
        /** Attaches to the session, replaying its output from offset {@code from}; empty when it is gone. */
        Optional<Terminal> attach(String sessionId, long from) throws IOException;

        void kill(String sessionId) throws IOException;

        List<SessionInfo> sessions() throws IOException;

        /** Keeps the sandbox hot until closed. */
        AutoCloseable hold();
    }

    /**
     * Registers a process from its freshly opened session; {@code first} follows it from its first
     * byte. The hold keeps its sandbox hot until it ends.
     */
    public E2bProcess start(String sandboxId, Config config, AutoCloseable hold, Terminal session,
                            Guest guest, BlockingQueue<Object> first, Integer deadlineSec) {
        E2bProcess p = new E2bProcess(this, sandboxId, config, hold, session.info(), guest, deadlineSec);
        p.follow(first);
        bySandbox.computeIfAbsent(sandboxId, id -> new ConcurrentHashMap<>()).put(p.pid, p);
        p.following(session);
        return p;
    }

    /**
     * Once per sandbox in this daemon's life: takes over the running sessions a previous daemon
     * started for E2B processes (known by their labels), following them from now on. A failure
     * leaves it for the next call.
     */
    public void adopt(String sandboxId, Guest guest) {
        if (adopted.contains(sandboxId)) {
            return;
        }
        synchronized (adopting.computeIfAbsent(sandboxId, id -> new Object())) {
            if (adopted.contains(sandboxId)) {
                return;
            }
            try {
                for (SessionInfo s : guest.sessions()) {
                    Optional<Config> config = Config.fromLabel(s.label());
                    if (!s.running() || config.isEmpty() || s.pid() == null || find(sandboxId, s.pid(), null).isPresent()) {
                        continue;
                    }
                    E2bProcess p = new E2bProcess(this, sandboxId, config.get(), guest.hold(), s, guest, null);
                    p.fromNow();
                    bySandbox.computeIfAbsent(sandboxId, id -> new ConcurrentHashMap<>()).putIfAbsent(p.pid, p);
                    log.info("event=e2b_process_adopted sandbox={} pid={} session={}", sandboxId, p.pid, s.sessionId());
                }
                adopted.add(sandboxId);
            } catch (IOException | RuntimeException e) {
                log.warn("event=e2b_adopt_failed sandbox={} error=\"{}\"", sandboxId, e.getMessage());
            }
        }
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
        for (E2bProcess p : bySandbox.getOrDefault(sandboxId, Map.of()).values()) {
            p.reattach();
        }
    }

    /** Ends every process of a sandbox whose sessions are gone (destroyed, or rolled back). */
    public void sandboxGone(String sandboxId, String why) {
        for (E2bProcess p : list(sandboxId)) {
            p.gone(why);
        }
        bySandbox.remove(sandboxId);
        adopted.remove(sandboxId);
        adopting.remove(sandboxId);
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

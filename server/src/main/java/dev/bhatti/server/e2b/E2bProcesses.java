package dev.bhatti.server.e2b;

import dev.bhatti.client.AgentException;
import dev.bhatti.client.ExecListener;
import dev.bhatti.client.ExecStream;
import dev.bhatti.client.Terminal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes envd's process service started, per sandbox: a piped command (the agent's exec:
 * stdout and stderr apart, stdin, kill, a deadline) or a PTY (the agent's terminal session). The
 * daemon holds each one's connection to the agent, so it runs on when its caller disconnects, and
 * fans its output out to every stream following it ({@code Start}, {@code Connect}). Its
 * {@code pid} is a handle of this daemon, numbered per sandbox, not the guest's pid.
 */
public final class E2bProcesses {
    private static final Logger log = LoggerFactory.getLogger(E2bProcesses.class);
    private static final int FIRST_PID = 1000;
    /** Events a follower may be behind before it is dropped (its stream ends; the process runs on). */
    private static final int BEHIND = 10_000;

    private final Map<String, Map<Integer, Proc>> bySandbox = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> pids = new ConcurrentHashMap<>();

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

    /** One running process. */
    public final class Proc {
        public final int pid;
        public final String tag;
        public final Config config;
        private final String sandboxId;
        private final AutoCloseable hold;
        private final List<BlockingQueue<Object>> followers = new CopyOnWriteArrayList<>();
        private volatile ExecStream piped;
        private volatile Terminal pty;
        private volatile Killer ptyKiller;
        private volatile boolean killed;
        private volatile Map<String, Object> end;

        private Proc(String sandboxId, int pid, String tag, Config config, AutoCloseable hold) {
            this.sandboxId = sandboxId;
            this.pid = pid;
            this.tag = tag;
            this.config = config;
            this.hold = hold;
        }

        /** A new follower: every event from now on, then {@link #END}; empty when the process has ended. */
        public Optional<BlockingQueue<Object>> follow() {
            BlockingQueue<Object> q = new LinkedBlockingQueue<>();
            followers.add(q);
            if (end != null) {
                followers.remove(q);
                return Optional.empty();
            }
            return Optional.of(q);
        }

        public void unfollow(BlockingQueue<Object> q) {
            followers.remove(q);
        }

        private void emit(Object event) {
            for (BlockingQueue<Object> q : followers) {
                if (q.size() > BEHIND) {
                    followers.remove(q);
                    q.offer(END);
                } else {
                    q.offer(event);
                }
            }
        }

        private void data(String stream, byte[] bytes) {
            emit(Map.of("data", Map.of(stream, Base64.getEncoder().encodeToString(bytes))));
        }

        private void ended(int code, String failure) {
            Map<String, Object> e = new LinkedHashMap<>();
            if (killed) {
                e.put("exitCode", -1);
                e.put("exited", false);
                e.put("status", "signal: killed");
                e.put("error", "signal: killed");
            } else if (failure != null) {
                e.put("exitCode", code);
                e.put("exited", false);
                e.put("status", failure);
                e.put("error", failure);
            } else {
                e.put("exitCode", code);
                e.put("exited", true);
                e.put("status", "exit status " + code);
                if (code != 0) {
                    e.put("error", "exit status " + code);
                }
            }
            end = Map.of("end", e);
            Map<Integer, Proc> procs = bySandbox.get(sandboxId);
            if (procs != null) {
                procs.remove(pid);
            }
            emit(end);
            for (BlockingQueue<Object> q : followers) {
                q.offer(END);
            }
            try {
                hold.close();
            } catch (Exception ex) {
                log.debug("event=e2b_hold_release_failed sandbox={} error=\"{}\"", sandboxId, ex.getMessage());
            }
        }

        public void write(byte[] data) throws IOException {
            if (pty != null) {
                pty.write(data);
            } else {
                piped.writeStdin(data);
            }
        }

        public void closeStdin() throws IOException {
            if (pty != null) {
                pty.closeStdin();
            } else {
                piped.closeStdin();
            }
        }

        public void kill() throws IOException {
            killed = true;
            if (pty != null) {
                ptyKiller.kill();
            } else {
                piped.kill();
            }
        }

        public void resize(int rows, int cols) throws IOException {
            if (pty == null) {
                throw Connect.error("invalid_argument", "process " + pid + " has no PTY to resize");
            }
            pty.resize(rows, cols);
        }

        public boolean isPty() {
            return pty != null;
        }
    }

    /** SIGKILLs a PTY session's process group (a terminal's own KILL is a SIGTERM, which a shell ignores). */
    public interface Killer {
        void kill() throws IOException;
    }

    /** Opens a process: {@code open} starts it, given the listener its output must go to. */
    public interface Opener<T> {
        T open(ExecListener output) throws IOException;
    }

    /**
     * Starts a piped process; {@code first} follows it from its first byte. The hold keeps its
     * sandbox hot until it ends.
     */
    public Proc startPiped(String sandboxId, String tag, Config config, AutoCloseable hold, Opener<ExecStream> opener,
                           BlockingQueue<Object> first) throws IOException {
        Proc p = register(sandboxId, tag, config, hold, first);
        try {
            p.piped = opener.open(new ExecListener() {
                @Override
                public void onStdout(byte[] data) {
                    p.data("stdout", data);
                }

                @Override
                public void onStderr(byte[] data) {
                    p.data("stderr", data);
                }
            });
        } catch (IOException | RuntimeException e) {
            forget(p);
            throw e;
        }
        Thread.ofVirtual().name("e2b-proc-" + p.pid).start(() -> {
            try {
                p.ended(p.piped.await(), null);
            } catch (AgentException e) {
                p.ended(-1, e.isTimeout() ? "signal: killed" : e.getMessage());
            } catch (IOException e) {
                p.ended(-1, "the sandbox's agent connection ended: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return p;
    }

    /** Starts a PTY process from an opened terminal session. */
    public Proc startPty(String sandboxId, String tag, Config config, AutoCloseable hold, Terminal terminal,
                         Killer killer, BlockingQueue<Object> first) {
        Proc p = register(sandboxId, tag, config, hold, first);
        p.pty = terminal;
        p.ptyKiller = killer;
        Thread.ofVirtual().name("e2b-pty-" + p.pid).start(() -> {
            try {
                while (true) {
                    Terminal.Event e = terminal.read();
                    switch (e) {
                        case Terminal.Event.Output o -> p.data("pty", o.data());
                        case Terminal.Event.Exit x -> {
                            p.ended(x.code(), null);
                            return;
                        }
                        case Terminal.Event.Closed c -> {
                            p.ended(-1, "the terminal session was closed");
                            return;
                        }
                    }
                }
            } catch (IOException e) {
                p.ended(-1, "the sandbox's agent connection ended: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return p;
    }

    private Proc register(String sandboxId, String tag, Config config, AutoCloseable hold, BlockingQueue<Object> first) {
        int pid = pids.computeIfAbsent(sandboxId, id -> new AtomicInteger(FIRST_PID)).getAndIncrement();
        Proc p = new Proc(sandboxId, pid, tag, config, hold);
        p.followers.add(first);
        bySandbox.computeIfAbsent(sandboxId, id -> new ConcurrentHashMap<>()).put(pid, p);
        return p;
    }

    private void forget(Proc p) {
        Map<Integer, Proc> procs = bySandbox.get(p.sandboxId);
        if (procs != null) {
            procs.remove(p.pid);
        }
    }

    /** The running process of a sandbox by pid or tag. */
    public Optional<Proc> find(String sandboxId, Integer pid, String tag) {
        Map<Integer, Proc> procs = bySandbox.getOrDefault(sandboxId, Map.of());
        if (pid != null) {
            return Optional.ofNullable(procs.get(pid));
        }
        return procs.values().stream().filter(p -> tag != null && tag.equals(p.tag)).findFirst();
    }

    /** The sandbox's running processes, by pid. */
    public List<Proc> list(String sandboxId) {
        List<Proc> out = new ArrayList<>(bySandbox.getOrDefault(sandboxId, Map.of()).values());
        out.sort(java.util.Comparator.comparingInt(p -> p.pid));
        return out;
    }

    /** Waits for a follower's next event, or empty after {@code ms} without one (time for a keepalive). */
    public static Optional<Object> next(BlockingQueue<Object> q, long ms) throws InterruptedException {
        return Optional.ofNullable(q.poll(ms, TimeUnit.MILLISECONDS));
    }
}

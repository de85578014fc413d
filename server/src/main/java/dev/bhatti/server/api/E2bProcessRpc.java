package dev.bhatti.server.api;

import dev.bhatti.proto.AgentErrorText;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.server.e2b.Connect;
import dev.bhatti.server.e2b.E2bProcess;
import dev.bhatti.server.e2b.E2bFs;
import dev.bhatti.server.e2b.E2bProcesses;
import dev.bhatti.server.events.SandboxEvent;
import dev.bhatti.server.sandbox.Sandboxes;
import dev.bhatti.server.store.SandboxRow;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * envd's process service ({@code process.Process/*}) over {@link E2bProcesses}: {@code Start} and
 * {@code Connect} stream a process's events (start, data, keepalive, end), the unary calls list,
 * feed, resize and signal processes. A stream's {@code Connect-Timeout-Ms} is the process's
 * deadline (it is killed then, as envd does); a caller that goes away leaves it running.
 */
final class E2bProcessRpc {
    /** At most this long without a message on a stream: under the HTTP idle timeout (30 s) and the SDK's (300 s). */
    static final long KEEPALIVE_MS = 20_000;

    private final ApiContext api;
    private final E2bProcesses processes = new E2bProcesses();

    E2bProcessRpc(ApiContext api) {
        this.api = api;
        if (api.events() != null) { // null only for a context that serves no sandbox (the OpenAPI check)
            api.events().listen(this::lifecycle);
        }
    }

    /**
     * A sandbox that runs again (after an E2B pause, a bhatti stop) gets its processes attached
     * again at once, so their output flows to whoever follows them; a destroyed sandbox, or one
     * rolled back to a checkpoint, ends them (their sessions are not the ones they were).
     */
    private void lifecycle(SandboxEvent e) {
        switch (e.type()) {
            case STARTED, WOKE -> {
                if (!processes.list(e.sandboxId()).isEmpty()) {
                    Thread.ofVirtual().name("e2b-reattach").start(() -> processes.reattach(e.sandboxId()));
                }
            }
            case DESTROYED -> processes.sandboxGone(e.sandboxId(), "the sandbox was killed");
            case RESTORED -> processes.sandboxGone(e.sandboxId(), "the sandbox was restored from a checkpoint");
            default -> { }
        }
    }

    /** The agent of a sandbox for its processes' sessions: woken when it cooled, held only for the call. */
    private E2bProcesses.Guest guest(String sandboxId) {
        return new E2bProcesses.Guest() {
            @Override
            public Optional<dev.bhatti.client.Terminal> attach(String sessionId, long from) throws IOException {
                Optional<SandboxRow> row = api.store().sandboxById(sandboxId);
                if (row.isEmpty()) {
                    return Optional.empty();
                }
                Sandboxes.Hot hot = api.sandboxes().hot(row.get());
                try {
                    return Optional.of(hot.agent().openTerminal(ExecRequest.attach(sessionId).outputFrom(from).build()));
                } catch (dev.bhatti.client.AgentException e) {
                    if (e.kind() == AgentErrorText.SESSION_NOT_FOUND) {
                        return Optional.empty();
                    }
                    throw e;
                } finally {
                    release(hot);
                }
            }

            @Override
            public List<dev.bhatti.proto.SessionInfo> sessions() throws IOException {
                Sandboxes.Hot hot = hotOrGone();
                try {
                    return hot.agent().sessions();
                } finally {
                    release(hot);
                }
            }

            @Override
            public AutoCloseable hold() {
                return hotOrGone();
            }

            private Sandboxes.Hot hotOrGone() {
                return api.sandboxes().hot(api.store().sandboxById(sandboxId)
                        .orElseThrow(() -> Connect.error("not_found", "sandbox " + sandboxId + " is gone")));
            }

            @Override
            public void kill(String sessionId) throws IOException {
                Sandboxes.Hot hot = hotOrGone();
                try {
                    hot.agent().killSession(sessionId);
                } finally {
                    release(hot);
                }
            }
        };
    }

    /** {@code Start}: runs the process and follows it from its start to its end. */
    void start(Context ctx, String sandboxId, E2bFs.User user, Map<?, ?> request, OutputStream out) throws IOException {
        Map<?, ?> process = map(request.get("process"), "process");
        String cmd = string(process.get("cmd"), "process.cmd");
        if (cmd == null || cmd.isEmpty()) {
            throw Connect.error("invalid_argument", "process.cmd is required");
        }
        List<String> args = strings(process.get("args"));
        Map<String, String> envs = stringMap(process.get("envs"));
        String cwd = E2bEnvdRoutes.resolve(user, string(process.get("cwd"), "process.cwd"));
        List<String> argv = new ArrayList<>(List.of(cmd));
        argv.addAll(args);
        Map<String, String> env = new LinkedHashMap<>(Map.of("HOME", user.home(), "USER", user.e2bName(), "LOGNAME",
                user.e2bName()));
        env.putAll(envs);
        ExecRequest.Builder b = ExecRequest.builder(argv.toArray(String[]::new)).user(user.agentUser()).cwd(cwd).env(env);
        Map<?, ?> pty = request.get("pty") instanceof Map<?, ?> m ? m : null;
        String tag = string(request.get("tag"), "tag");
        E2bProcesses.Config config = new E2bProcesses.Config(cmd, args, envs, string(process.get("cwd"), "process.cwd"), tag);
        b.label(config.label());
        Sandboxes.Hot hot = api.sandboxes().hot(api.store().sandboxById(sandboxId)
                .orElseThrow(() -> Connect.error("unavailable", "sandbox " + sandboxId + " went away")));
        long ms = deadlineMs(ctx);
        Integer deadlineSec = ms <= 0 ? null : (int) Math.min(Integer.MAX_VALUE, Math.ceilDiv(ms, 1000));
        if (deadlineSec != null) {
            b.timeoutSec(deadlineSec);
        }
        if (pty != null) {
            Map<?, ?> size = pty.get("size") instanceof Map<?, ?> s ? s : Map.of();
            b.tty(number(size.get("rows"), 24), number(size.get("cols"), 80)).maxIdleSec(TerminalSocket.SHELL_IDLE_SEC);
        } else {
            b.session().stderrApart();
        }
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        E2bProcess p;
        try {
            dev.bhatti.client.Terminal session = hot.agent().openTerminal(b.build());
            p = processes.start(sandboxId, config, hot, session, guest(sandboxId), events, deadlineSec);
        } catch (dev.bhatti.client.AgentException e) {
            release(hot);
            throw Connect.error(e.isStartFailure() ? "invalid_argument" : "internal", e.getMessage());
        } catch (IOException | RuntimeException e) {
            release(hot);
            throw e;
        }
        follow(ctx, p, events, out);
    }

    /** {@code Connect}: follows a running process from now on. */
    void connect(Context ctx, String sandboxId, Map<?, ?> request, OutputStream out) throws IOException {
        followAgain(sandboxId);
        E2bProcess p = find(sandboxId, request);
        BlockingQueue<Object> events = p.follow().orElseThrow(() -> Connect.error("not_found", "process " + p.pid + " has ended"));
        follow(ctx, p, events, out);
    }

    private static void follow(Context ctx, E2bProcess p, BlockingQueue<Object> events, OutputStream out) throws IOException {
        long keepalive = keepaliveMs(ctx);
        try {
            Connect.send(out, Map.of("event", Map.of("start", Map.of("pid", p.pid))));
            while (true) {
                Optional<Object> e = E2bProcesses.next(events, keepalive);
                if (e.isEmpty()) {
                    Connect.send(out, Map.of("event", Map.of("keepalive", Map.of())));
                } else if (e.get() == E2bProcesses.END) {
                    return;
                } else {
                    Connect.send(out, Map.of("event", e.get()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            p.unfollow(events);
        }
    }

    /** The unary calls. */
    /** Takes over a previous daemon's processes (once), and attaches again to any that lost their connection. */
    private void followAgain(String sandboxId) {
        processes.adopt(sandboxId, guest(sandboxId));
        processes.reattach(sandboxId);
    }

    Object unary(String method, String sandboxId, Map<?, ?> request) throws IOException {
        followAgain(sandboxId);
        return switch (method) {
            case "List" -> {
                List<Map<String, Object>> out = new ArrayList<>();
                for (E2bProcess p : processes.list(sandboxId)) {
                    Map<String, Object> info = new LinkedHashMap<>();
                    info.put("config", Map.of("cmd", p.config.cmd(), "args", p.config.args(), "envs", p.config.envs()));
                    info.put("pid", p.pid);
                    if (p.tag != null) {
                        info.put("tag", p.tag);
                    }
                    out.add(info);
                }
                yield Map.of("processes", out);
            }
            case "SendInput" -> {
                Map<?, ?> input = map(request.get("input"), "input");
                String data = string(input.containsKey("pty") ? input.get("pty") : input.get("stdin"), "input");
                find(sandboxId, request).write(data == null ? new byte[0] : Base64.getDecoder().decode(data));
                yield Map.of();
            }
            case "SendSignal" -> {
                find(sandboxId, request).kill();
                yield Map.of();
            }
            case "CloseStdin" -> {
                find(sandboxId, request).closeStdin();
                yield Map.of();
            }
            case "Update" -> {
                E2bProcess p = find(sandboxId, request);
                if (request.get("pty") instanceof Map<?, ?> pty && pty.get("size") instanceof Map<?, ?> size) {
                    p.resize(number(size.get("rows"), 24), number(size.get("cols"), 80));
                }
                yield Map.of();
            }
            default -> throw Connect.error("unimplemented", "process.Process/" + method + " is not served by bhatti: "
                    + "StreamInput is client-streaming, which the e2b SDK never uses (docs/e2b.md)");
        };
    }

    private E2bProcess find(String sandboxId, Map<?, ?> request) {
        Map<?, ?> selector = map(request.get("process"), "process");
        Integer pid = selector.get("pid") instanceof Number n ? Integer.valueOf(n.intValue()) : null;
        String tag = string(selector.get("tag"), "process.tag");
        return processes.find(sandboxId, pid, tag).orElseThrow(() -> Connect.error("not_found",
                "process " + (pid != null ? pid : "tagged " + tag) + " not found"));
    }

    static long deadlineMs(Context ctx) {
        try {
            return Long.parseLong(String.valueOf(ctx.header("Connect-Timeout-Ms")).strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long keepaliveMs(Context ctx) {
        try {
            long s = Long.parseLong(String.valueOf(ctx.header("Keepalive-Ping-Interval")).strip());
            return s > 0 ? Math.min(s * 1000, KEEPALIVE_MS) : KEEPALIVE_MS;
        } catch (NumberFormatException e) {
            return KEEPALIVE_MS;
        }
    }

    private static void release(Sandboxes.Hot hot) {
        try {
            hot.close();
        } catch (Exception ignored) {
            // the hold is gone with the request
        }
    }

    static Map<?, ?> map(Object v, String field) {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        throw Connect.error("invalid_argument", field + " must be an object");
    }

    static String string(Object v, String field) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw Connect.error("invalid_argument", field + " must be a string");
    }

    private static List<String> strings(Object v) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)) {
            return l.stream().map(String.class::cast).toList();
        }
        throw Connect.error("invalid_argument", "process.args must be an array of strings");
    }

    private static Map<String, String> stringMap(Object v) {
        if (v == null) {
            return Map.of();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, String> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), String.valueOf(x)));
            return out;
        }
        throw Connect.error("invalid_argument", "process.envs must be an object of strings");
    }

    private static int number(Object v, int dflt) {
        return v instanceof Number n ? n.intValue() : dflt;
    }
}

package dev.bhatti.server.api;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.client.AgentException;
import dev.bhatti.client.ExecListener;
import dev.bhatti.client.ExecResult;
import dev.bhatti.client.RequestNotSentException;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.Json;
import dev.bhatti.server.sandbox.EnvVars;
import dev.bhatti.server.sandbox.Sandboxes;
import dev.bhatti.server.store.User;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /sandboxes/:id/exec}: buffered JSON, NDJSON streaming (one event per line, flushed
 * as it happens) when the client accepts {@code application/x-ndjson}, or detached.
 */
final class ExecRoutes implements ApiServer.Routes {
    static final int DEFAULT_TIMEOUT_SEC = 300;
    static final int MAX_TIMEOUT_SEC = 86_400;
    private static final String NDJSON = "application/x-ndjson";
    /** Tries of an exec whose request never reached the agent (the VM was stopped under it). */
    private static final int SEND_ATTEMPTS = 3;

    private final ApiContext api;
    private final Guard guard;

    ExecRoutes(ApiContext api, Guard guard) {
        this.api = api;
        this.guard = guard;
    }

    record ExecBody(List<String> cmd, Map<String, String> env, String cwd, Integer timeoutSec, Boolean detach,
                    String user) {}

    @Override
    public void register(JavalinDefaultRoutingApi r) {
        r.post("/sandboxes/{id}/exec", this::measured);
    }

    /** Runs the exec and counts it in the metrics by mode, outcome and time to the command's end. */
    private void measured(Context ctx) throws IOException {
        long t0 = System.nanoTime();
        boolean ok = false;
        try {
            exec(ctx);
            ok = ctx.statusCode() < 400;
        } finally {
            if (api.metrics() != null) {
                String mode = Boolean.TRUE.equals(ctx.attribute(DETACH)) ? "detach"
                        : Boolean.TRUE.equals(ctx.attribute(STREAM)) ? "stream" : "buffered";
                api.metrics().exec(mode, ok, System.nanoTime() - t0);
            }
        }
    }

    private static final String DETACH = "bhatti.exec.detach";
    private static final String STREAM = "bhatti.exec.stream";

    private void exec(Context ctx) throws IOException {
        User user = guard.user(ctx, RateLimits.Kind.HEAVY);
        ExecBody body = Bodies.json(ctx, ExecBody.class, null);
        ExecRequest request = request(body);
        Sandboxes.Hot hot = guard.hot(ctx, user, ctx.pathParam("id"));
        ctx.attribute(DETACH, Boolean.TRUE.equals(body.detach()));
        if (String.valueOf(ctx.header("Accept")).contains(NDJSON) && !Boolean.TRUE.equals(body.detach())) {
            ctx.attribute(STREAM, true);
            stream(hot, request, ctx);
            return;
        }
        ExecResult r = null;
        for (int attempt = 1; r == null; attempt++) {
            try {
                r = hot.agent().exec(request);
            } catch (AgentException e) {
                throw e;
            } catch (RequestNotSentException e) {
                // A stop closed the agent before the command was sent: wait for the VM and send it again.
                if (attempt >= SEND_ATTEMPTS) {
                    throw api.sandboxes().agentFailure(hot, e);
                }
                hot = guard.hot(ctx, user, ctx.pathParam("id"));
            } catch (IOException e) {
                // The connection broke under the command (the VMM died, a stop closed it): not internal.
                throw api.sandboxes().agentFailure(hot, e);
            }
        }
        if (Boolean.TRUE.equals(body.detach())) {
            ctx.status(200).contentType("application/json").result(r.stdoutBytes());
        } else {
            Responses.ok(ctx, buffered(r));
        }
    }

    static ExecRequest request(ExecBody body) {
        if (body == null || body.cmd() == null || body.cmd().isEmpty() || body.cmd().getFirst() == null
                || body.cmd().getFirst().isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_COMMAND, "cmd must be a non-empty array of strings");
        }
        for (int i = 0; i < body.cmd().size(); i++) {
            String arg = body.cmd().get(i);
            if (arg == null) {
                throw new ApiException(ErrorCode.INVALID_COMMAND, "cmd[" + i + "] must be a string, got null");
            }
            if (arg.indexOf('\0') >= 0) {
                throw new ApiException(ErrorCode.INVALID_COMMAND, "cmd[" + i + "] contains a NUL byte");
            }
        }
        EnvVars.requireExecEnv(body.env(), "env");
        if (body.cwd() != null && body.cwd().indexOf('\0') >= 0) {
            throw new ApiException(ErrorCode.INVALID_CWD, "cwd contains a NUL byte");
        }
        int timeout = body.timeoutSec() == null ? DEFAULT_TIMEOUT_SEC : body.timeoutSec();
        if (timeout < 1 || timeout > MAX_TIMEOUT_SEC) {
            throw new ApiException(ErrorCode.INVALID_TIMEOUT, "timeout_sec must be 1.." + MAX_TIMEOUT_SEC + ", got " + timeout);
        }
        ExecRequest.Builder b = ExecRequest.builder(body.cmd().toArray(String[]::new)).timeoutSec(timeout);
        if (body.env() != null) {
            b.env(body.env());
        }
        if (body.cwd() != null) {
            b.cwd(body.cwd());
        }
        if (body.user() != null) {
            if (!ExecRequest.knownUser(body.user())) {
                throw new ApiException(ErrorCode.INVALID_USER, ExecRequest.unknownUser(body.user()));
            }
            b.user(body.user());
        }
        if (Boolean.TRUE.equals(body.detach())) {
            b.detach(null);
        }
        return b.build();
    }

    private static Map<String, Object> buffered(ExecResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("exit_code", r.exitCode());
        out.put("stdout", r.stdout());
        // The client already appended its marker to each stream that lost bytes (CappedOutput).
        out.put("stderr", r.stderr());
        if (r.truncated()) {
            out.put("truncated", true);
        }
        return out;
    }

    /**
     * NDJSON events; the status is 200 once streaming began, so failures become events. The events
     * go to the servlet's own stream: Javalin's {@code ctx.outputStream()} (its compression
     * wrapper) ignores {@code flush()}, which held every event until the command ended.
     */
    private void stream(Sandboxes.Hot hot, ExecRequest request, Context ctx) throws IOException {
        ctx.status(200).contentType(NDJSON);
        OutputStream out = ctx.res().getOutputStream();
        Events events = new Events(out);
        try {
            int code = hot.agent().exec(request, events);
            events.flushCarry();
            events.send(Map.of("type", "exit", "exit_code", code));
        } catch (AgentException e) {
            if (e.isStartFailure()) {
                events.send(Map.of("type", "stderr", "data", e.getMessage() + "\n"));
                events.send(Map.of("type", "exit", "exit_code", ExecResult.START_FAILED_EXIT));
            } else {
                events.error(AgentErrors.map(e));
            }
        } catch (IOException e) {
            if (events.clientGone()) {
                throw e;
            }
            events.error(api.sandboxes().agentFailure(hot, e));
        }
    }

    /**
     * Writes one JSON object per line and flushes it. A UTF-8 character split across two agent
     * frames is held back until it is complete, so no event carries half a character.
     */
    private static final class Events implements ExecListener {
        private final OutputStream out;
        private final Utf8Carry stdout = new Utf8Carry();
        private final Utf8Carry stderr = new Utf8Carry();

        Events(OutputStream out) {
            this.out = out;
        }

        @Override
        public void onStdout(byte[] data) throws IOException {
            emit("stdout", stdout.take(data));
        }

        @Override
        public void onStderr(byte[] data) throws IOException {
            emit("stderr", stderr.take(data));
        }

        private void emit(String type, String text) throws IOException {
            if (!text.isEmpty()) {
                send(Map.of("type", type, "data", text));
            }
        }

        void flushCarry() throws IOException {
            emit("stdout", stdout.rest());
            emit("stderr", stderr.rest());
        }

        /** The {@code error} event that ends the stream: the failure's code and message. */
        void error(ApiException failure) throws IOException {
            send(Map.of("type", "error", "code", failure.code().code(), "data", failure.getMessage()));
        }

        private volatile boolean clientGone;

        /** Whether writing to the HTTP client failed (then no event can be sent). */
        boolean clientGone() {
            return clientGone;
        }

        synchronized void send(Object event) throws IOException {
            try {
                out.write(Json.encode(event));
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                clientGone = true;
                throw e;
            }
        }
    }
}

package dev.bhatti.server.api;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.api.SandboxStatus;
import dev.bhatti.client.AgentClient;
import dev.bhatti.client.FileReadStream;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.FileReadRequest;
import dev.bhatti.server.e2b.Connect;
import dev.bhatti.server.e2b.E2bFs;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.User;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * E2B's in-sandbox API (envd) under {@code /e2b/envd} (docs/e2b.md): the sandbox is named by the
 * {@code E2b-Sandbox-Id} header and proven by {@code X-Access-Token} (its {@code envdAccessToken},
 * checked before anything is looked up); an unknown, killed or paused sandbox answers 502 as E2B's
 * proxy does. Files over plain HTTP, the filesystem service over Connect; E2B's {@code user} runs
 * as bhatti's unprivileged user with home {@code /home/user}, {@code root} as root.
 */
final class E2bEnvdRoutes implements ApiServer.Routes {
    static final String PREFIX = "/e2b/envd";
    static final String DEFAULT_USER = "user";
    static final long MAX_UPLOAD = 100L << 20;

    private final ApiContext api;
    private final Guard guard;
    /** Sandboxes whose {@code /home/user} this daemon made sure of. */
    private final Set<String> homes = ConcurrentHashMap.newKeySet();

    private final E2bProcessRpc processes;

    E2bEnvdRoutes(ApiContext api, Guard guard) {
        this.api = api;
        this.guard = guard;
        this.processes = new E2bProcessRpc(api);
    }

    /** Whether a request is for envd: these carry no API key, only the sandbox's access token. */
    static boolean isEnvd(Context ctx) {
        return ctx.path().startsWith(PREFIX + "/");
    }

    /** Whether a request is a Connect call of envd ({@code /e2b/envd/<package.Service>/<Method>}). */
    static boolean isRpc(Context ctx) {
        String p = ctx.path();
        if (!p.startsWith(PREFIX + "/")) {
            return false;
        }
        String rest = p.substring(PREFIX.length() + 1);
        int slash = rest.indexOf('/');
        return slash > 0 && rest.substring(0, slash).contains(".");
    }

    @Override
    public void register(JavalinDefaultRoutingApi r) {
        r.get(PREFIX + "/health", ctx -> {
            sandbox(ctx);
            ctx.status(204);
        });
        r.get(PREFIX + "/files", this::read);
        r.post(PREFIX + "/files", this::write);
        r.post(PREFIX + "/{service}/{method}", this::rpc);
    }

    private record Target(User owner, SandboxRow row) {}

    /** The sandbox the request names, after its access token; the owner becomes the caller. */
    private Target sandbox(Context ctx) {
        String id = ctx.header("E2b-Sandbox-Id");
        if (id == null || id.isBlank()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "the E2b-Sandbox-Id header is required");
        }
        if (!api.e2bTokens().matches(id, ctx.header("X-Access-Token"))) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, "X-Access-Token is not the access token of sandbox " + id);
        }
        SandboxRow row = api.store().sandboxById(id).orElseThrow(() -> notRunning(id));
        if (SandboxStatus.STOPPED.wire().equals(row.status())) {
            throw notRunning(id);
        }
        User owner = api.store().userById(row.userId()).orElseThrow(() -> notRunning(id));
        ctx.attribute(Caller.ATTRIBUTE, owner);
        guard.user(ctx);
        return new Target(owner, row);
    }

    private static ApiException notRunning(String id) {
        return new ApiException(ErrorCode.SANDBOX_NOT_RUNNING, "The sandbox was not found: " + id
                + " is unknown, killed, expired or paused");
    }

    /** The sandbox's agent, woken if it cooled, held hot until the request ends; its E2B home made. */
    private AgentClient agent(Context ctx, Target t) throws IOException {
        AgentClient agent = guard.agent(ctx, t.owner(), t.row().id());
        if (homes.add(t.row().id())) {
            agent.exec(ExecRequest.builder("sh", "-c", "mkdir -p /home/user && chown lohar: /home/user")
                    .user(ExecRequest.USER_ROOT).timeoutSec(30).build());
        }
        return agent;
    }

    /** E2B's user (from {@code Authorization: Basic base64(name:)} or {@code ?username=}) as the guest's. */
    static E2bFs.User user(String name) {
        String n = name == null || name.isEmpty() ? DEFAULT_USER : name;
        return switch (n) {
            case DEFAULT_USER -> new E2bFs.User(n, ExecRequest.USER_LOHAR, "/home/user");
            case "root" -> new E2bFs.User(n, ExecRequest.USER_ROOT, "/root");
            default -> throw Connect.error("unauthenticated", "invalid username '" + n + "': this sandbox has user and root");
        };
    }

    static E2bFs.User basicUser(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return user(null);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(h.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Connect.error("unauthenticated", "the Authorization header is not Basic base64(user:)");
        }
        int colon = decoded.indexOf(':');
        return user(colon < 0 ? decoded : decoded.substring(0, colon));
    }

    /** A path as envd resolves it: {@code ~} and relative paths against the user's home. */
    static String resolve(E2bFs.User user, String path) {
        if (path == null || path.isEmpty()) {
            return user.home();
        }
        if (path.indexOf('\0') >= 0) {
            throw new ApiException(ErrorCode.INVALID_PATH, "the path contains a NUL byte");
        }
        String p = path.equals("~") ? user.home() : path.startsWith("~/") ? user.home() + path.substring(1) : path;
        return Path.of(user.home()).resolve(p).normalize().toString();
    }

    private void read(Context ctx) throws IOException {
        Target t = sandbox(ctx);
        E2bFs.User user = httpUser(ctx);
        String path = resolve(user, ctx.queryParam("path"));
        AgentClient agent = agent(ctx, t);
        if (!E2bFs.allowed(agent, user, false, List.of(path))) {
            throw new ApiException(ErrorCode.PATH_FORBIDDEN, "user " + user.e2bName() + " may not read " + path);
        }
        try (FileReadStream in = agent.openRead(new FileReadRequest(path, null, null, null))) {
            long size = in.response().size();
            ctx.status(200).contentType("application/octet-stream");
            ctx.header("Content-Disposition", "inline; filename=\"" + Path.of(path).getFileName() + "\"");
            if (size == 0) {
                ctx.res().flushBuffer();
            } else {
                ctx.res().setContentLengthLong(size);
            }
            in.transferTo(ctx.res().getOutputStream());
        }
    }

    private static E2bFs.User httpUser(Context ctx) {
        try {
            return user(ctx.queryParam("username"));
        } catch (Connect.Error e) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, e.getMessage());
        }
    }

    /** {@code POST /files}: multipart (field {@code file}, the part's filename its path) or one octet-stream body. */
    private void write(Context ctx) throws IOException {
        Target t;
        try {
            t = sandbox(ctx);
        } catch (RuntimeException e) {
            drain(ctx);
            throw e;
        }
        E2bFs.User user = httpUser(ctx);
        String type = String.valueOf(ctx.contentType());
        String single = ctx.queryParam("path");
        List<Map<String, Object>> written = new ArrayList<>();
        AgentClient agent = agent(ctx, t);
        if (type.startsWith("multipart/form-data")) {
            List<UploadedFile> files = ctx.uploadedFiles("file");
            List<String> paths = files.stream().map(f -> resolve(user, single != null ? single : f.filename())).toList();
            requireWritable(agent, user, paths);
            for (int i = 0; i < files.size(); i++) {
                UploadedFile f = files.get(i);
                String path = paths.get(i);
                try (InputStream in = f.content()) {
                    agent.writeFile(path, null, f.size(), in);
                }
                written.add(entry(path));
            }
        } else if (type.startsWith("application/octet-stream")) {
            if (single == null) {
                throw new ApiException(ErrorCode.INVALID_PATH, "an octet-stream upload needs the path query parameter");
            }
            String path = resolve(user, single);
            requireWritable(agent, user, List.of(path));
            byte[] body;
            try (InputStream in = ctx.bodyInputStream()) {
                body = in.readNBytes((int) MAX_UPLOAD + 1);
            }
            if (body.length > MAX_UPLOAD) {
                throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "a file over 100 MiB");
            }
            agent.writeFile(path, null, body.length, new ByteArrayInputStream(body));
            written.add(entry(path));
        } else {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "expected multipart/form-data or application/octet-stream, got " + type);
        }
        if (written.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "no part named file in the upload");
        }
        if (user.agentUser().equals(ExecRequest.USER_ROOT)) {
            // the agent writes as its unprivileged user; a root upload is root's, as in E2B
            List<String> argv = new ArrayList<>(List.of("chown", "root:root", "--"));
            written.forEach(w -> argv.add((String) w.get("path")));
            agent.exec(ExecRequest.builder(argv.toArray(String[]::new)).user(ExecRequest.USER_ROOT).timeoutSec(30).build());
        }
        Responses.ok(ctx, written);
    }

    /**
     * Reads what the client still sends of a refused upload (up to 1 MiB), so that it reads the
     * refusal: a server that answers and closes while a chunked body is on its way leaves the
     * SDK with "fetch failed" instead of the 401.
     */
    private static void drain(Context ctx) {
        try (InputStream in = ctx.bodyInputStream()) {
            in.readNBytes(1 << 20);
        } catch (IOException | RuntimeException ignored) {
            // the refusal goes out either way
        }
    }

    private static void requireWritable(AgentClient agent, E2bFs.User user, List<String> paths) throws IOException {
        if (!E2bFs.allowed(agent, user, true, paths)) {
            throw new ApiException(ErrorCode.PATH_FORBIDDEN, "user " + user.e2bName() + " may not write " + String.join(", ", paths));
        }
    }

    private static Map<String, Object> entry(String path) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", Path.of(path).getFileName() == null ? "/" : Path.of(path).getFileName().toString());
        m.put("type", "file");
        m.put("path", path);
        return m;
    }

    private void rpc(Context ctx) throws IOException {
        String service = ctx.pathParam("service");
        String method = ctx.pathParam("method");
        // the message is read before anything can refuse the call, so a refusal never races the body
        byte[] body = ctx.bodyAsBytes();
        if (String.valueOf(ctx.contentType()).startsWith(Connect.STREAM)) {
            stream(ctx, service + "/" + method, body);
            return;
        }
        Target t = sandbox(ctx);
        Map<?, ?> m = Connect.parse(new String(body, StandardCharsets.UTF_8)) instanceof Map<?, ?> mm ? mm : Map.of();
        Object answer = switch (service) {
            case "process.Process" -> processes.unary(method, t.row().id(), m);
            case "filesystem.Filesystem" -> filesystem(ctx, t, method, m);
            default -> throw Connect.error("unimplemented", service + "/" + method + " is not a service of envd");
        };
        ctx.status(200).contentType(Connect.UNARY);
        ctx.result(dev.bhatti.proto.Json.encode(answer));
    }

    /** A streaming call: 200 at once, its messages, then the end of the stream with its error, if any. */
    private void stream(Context ctx, String method, byte[] body) throws IOException {
        ctx.status(200).contentType(Connect.STREAM);
        OutputStream out = ctx.res().getOutputStream();
        Connect.Error failure = null;
        try {
            Target t = sandbox(ctx);
            Map<?, ?> m = Connect.unwrap(body) instanceof Map<?, ?> mm ? mm : Map.of();
            switch (method) {
                case "process.Process/Start" -> {
                    E2bFs.User user = basicUser(ctx);
                    agent(ctx, t);
                    processes.start(ctx, t.row().id(), user, m, out);
                }
                case "process.Process/Connect" -> processes.connect(ctx, t.row().id(), m, out);
                case "filesystem.Filesystem/WatchDir" -> {
                    E2bFs.User user = basicUser(ctx);
                    dev.bhatti.server.e2b.E2bWatch.run(agent(ctx, t), user, resolve(user, str(m, "path")),
                            Boolean.TRUE.equals(m.get("recursive")), E2bProcessRpc.deadlineMs(ctx), out);
                }
                default -> throw Connect.error("unimplemented", method + " is not served by bhatti: the e2b SDK streams only "
                        + "Start, Connect and WatchDir (docs/e2b.md)");
            }
        } catch (Connect.Error e) {
            failure = e;
        } catch (java.io.IOException e) {
            if (!ctx.res().isCommitted()) {
                failure = Connect.error("unavailable", e.getMessage());
            } else {
                return; // the caller went away; the process runs on
            }
        } catch (RuntimeException e) {
            ApiException api = ErrorResponses.of(e, ctx);
            failure = ErrorResponses.connectError(api.code(), api.getMessage());
        }
        try {
            Connect.end(out, failure);
        } catch (IOException gone) {
            // nobody left to tell
        }
    }

    private Object filesystem(Context ctx, Target t, String method, Map<?, ?> m) throws IOException {
        E2bFs.User user = basicUser(ctx);
        return switch (method) {
            case "Stat" -> Map.of("entry", E2bFs.stat(agent(ctx, t), user, resolve(user, str(m, "path"))));
            case "ListDir" -> Map.of("entries", E2bFs.list(agent(ctx, t), user,
                    resolve(user, str(m, "path")), m.get("depth") instanceof Number n ? n.intValue() : 1));
            case "MakeDir" -> Map.of("entry", E2bFs.makeDir(agent(ctx, t), user, resolve(user, str(m, "path"))));
            case "Move" -> Map.of("entry", E2bFs.move(agent(ctx, t), user,
                    resolve(user, str(m, "source")), resolve(user, str(m, "destination"))));
            case "Remove" -> {
                E2bFs.remove(agent(ctx, t), user, resolve(user, str(m, "path")));
                yield Map.of();
            }
            default -> throw Connect.error("unimplemented", "filesystem.Filesystem/" + method + " is not served by bhatti: "
                    + "the e2b SDK watches with WatchDir, never the polling watcher calls (docs/e2b.md)");
        };
    }

    private static String str(Map<?, ?> m, String field) {
        Object v = m.get(field);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw Connect.error("invalid_argument", field + " must be a string");
    }
}

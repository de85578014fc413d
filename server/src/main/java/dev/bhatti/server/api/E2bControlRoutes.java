package dev.bhatti.server.api;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.api.SandboxStatus;
import dev.bhatti.api.model.NetworkPolicy;
import dev.bhatti.server.e2b.E2bLifetimes;
import dev.bhatti.server.e2b.E2bTokens;
import dev.bhatti.server.sandbox.CreateRequest;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.User;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * E2B's control API under {@code /e2b/api} (docs/e2b.md), over the same sandboxes, users, quotas
 * and rate limits: an E2B sandbox is a bhatti sandbox. The key comes in {@code X-API-KEY}; errors
 * are E2B's {@code {"code": status, "message": ...}} ({@link ErrorResponses}). E2B's pause is a
 * stop (snapshot to disk, memory freed, processes kept); its resume is a connect.
 */
final class E2bControlRoutes implements ApiServer.Routes {
    static final String PREFIX = "/e2b/api";
    /** What the SDK is told envd is: the newest version whose features it gates (wire brief §8). */
    static final String ENVD_VERSION = "0.6.4";
    static final String BASE_TEMPLATE = "base";

    private final ApiContext api;
    private final Guard guard;
    private final E2bTokens tokens;
    private final E2bLifetimes lifetimes;

    E2bControlRoutes(ApiContext api, Guard guard) {
        this.api = api;
        this.guard = guard;
        this.tokens = api.e2bTokens();
        this.lifetimes = api.e2bLifetimes();
    }

    @Override
    public void register(JavalinDefaultRoutingApi r) {
        r.post(PREFIX + "/v2/sandboxes", this::create);
        r.get(PREFIX + "/v2/sandboxes", this::list);
        r.post(PREFIX + "/v2/sandboxes/{id}/connect", this::connect);
        r.get(PREFIX + "/sandboxes/{id}", ctx -> {
            User user = guard.user(ctx);
            Responses.ok(ctx, detail(api.sandboxes().row(user, ctx.pathParam("id"))));
        });
        r.delete(PREFIX + "/sandboxes/{id}", ctx -> {
            api.sandboxes().destroy(guard.user(ctx), ctx.pathParam("id"));
            ctx.status(204);
        });
        r.post(PREFIX + "/sandboxes/{id}/timeout", ctx -> {
            User user = guard.user(ctx);
            lifetimes.setTimeout(user, ctx.pathParam("id"), seconds(body(ctx).get("timeout"), "timeout", null));
            ctx.status(204);
        });
        r.post(PREFIX + "/sandboxes/{id}/pause", ctx -> {
            User user = guard.user(ctx, RateLimits.Kind.HEAVY);
            SandboxRow row = api.sandboxes().row(user, ctx.pathParam("id"));
            if (SandboxStatus.STOPPED.wire().equals(row.status())) {
                throw new ApiException(ErrorCode.ALREADY_PAUSED, "sandbox " + row.id() + " is already paused");
            }
            api.sandboxes().stop(user, row.id());
            ctx.status(204);
        });
        r.get(PREFIX + "/sandboxes/{id}/metrics", ctx -> {
            api.sandboxes().row(guard.user(ctx), ctx.pathParam("id"));
            Responses.ok(ctx, List.of());
        });
    }

    private void create(Context ctx) {
        User user = guard.user(ctx, RateLimits.Kind.HEAVY);
        Map<String, Object> body = body(ctx);
        String template = text(body.get("templateID"), "templateID");
        template = template == null || template.isBlank() ? BASE_TEMPLATE : template;
        Map<String, String> labels = new LinkedHashMap<>(strings(body.get("metadata"), "metadata"));
        for (String key : labels.keySet()) {
            if (key.startsWith(E2bLifetimes.PREFIX)) {
                throw new ApiException(ErrorCode.INVALID_LABEL, "metadata key " + key + " is reserved (keys starting "
                        + E2bLifetimes.PREFIX + " hold bhatti's E2B state)");
            }
        }
        long timeout = seconds(body.get("timeout"), "timeout", (long) E2bLifetimes.DEFAULT_TIMEOUT_SEC);
        labels.put(E2bLifetimes.TEMPLATE, template);
        labels.put(E2bLifetimes.END_AT, Long.toString(api.clock().instant().getEpochSecond()
                + Math.clamp(timeout, 0, E2bLifetimes.MAX_TIMEOUT_SEC)));
        if (Boolean.TRUE.equals(body.get("autoPause"))) {
            labels.put(E2bLifetimes.ON_TIMEOUT, "pause");
        }
        SandboxRow row;
        var snapshot = E2bCopyRoutes.snapshotOf(api, user, template);
        if (snapshot.isPresent()) {
            // a snapshot's copy: its memory, disk and settings; only the metadata and timeout are new
            row = api.sandboxes().create(user, new CreateRequest(api.sandboxes().freshName(), null, null, null,
                    null, null, null, null, null, null, null, null, null, null, snapshot.get().id(), null)).row();
            E2bCopyRoutes.replaceLabels(api, user, row, labels);
        } else {
            CreateRequest request = new CreateRequest(null, null, null, null, strings(body.get("envVars"), "envVars"),
                    null, null, BASE_TEMPLATE.equals(template) ? null : template, null, null, null, null, null, labels,
                    null, network(body));
            row = api.sandboxes().create(user, request).row();
        }
        // E2B's timeout runs from when the sandbox is up, not from when its create began
        lifetimes.setTimeout(user, row.id(), timeout);
        Responses.json(ctx, 201, sandbox(api.sandboxes().row(user, row.id())));
    }

    /** E2B's egress settings as a bhatti egress policy, or null to leave the default. */
    private static NetworkPolicy network(Map<String, Object> body) {
        Object net = body.get("network");
        boolean noInternet = Boolean.FALSE.equals(body.get("allow_internet_access"));
        if (!(net instanceof Map<?, ?> m) && !noInternet) {
            return null;
        }
        Map<?, ?> n = net instanceof Map<?, ?> mm ? mm : Map.of();
        return new NetworkPolicy(list(n.get("allowOut"), "network.allowOut"), list(n.get("denyOut"), "network.denyOut"),
                noInternet);
    }

    private void connect(Context ctx) {
        User user = guard.user(ctx, RateLimits.Kind.HEAVY);
        SandboxRow row = api.sandboxes().row(user, ctx.pathParam("id"));
        long timeout = seconds(body(ctx).get("timeout"), "timeout", (long) E2bLifetimes.DEFAULT_TIMEOUT_SEC);
        boolean paused = SandboxStatus.STOPPED.wire().equals(row.status());
        if (paused) {
            api.sandboxes().start(user, row.id(), false);
        }
        if (row.labels().containsKey(E2bLifetimes.TEMPLATE)) {
            lifetimes.extend(user, api.sandboxes().row(user, row.id()), timeout);
        }
        Responses.json(ctx, paused ? 201 : 200, sandbox(api.sandboxes().row(user, row.id())));
    }

    private void list(Context ctx) {
        User user = guard.user(ctx);
        Set<String> states = ctx.queryParam("state") == null ? Set.of("running", "paused")
                : Set.of(ctx.queryParam("state").split(","));
        Map<String, String> metadata = metadataFilter(ctx.queryParam("metadata"));
        List<Map<String, Object>> all = new ArrayList<>();
        for (SandboxRow row : api.store().sandboxes(user.id(), metadata)) {
            if (states.contains(state(row))) {
                all.add(listed(row));
            }
        }
        int offset = ctx.queryParam("nextToken") == null ? 0 : (int) seconds(ctx.queryParam("nextToken"), "nextToken", 0L);
        int limit = ctx.queryParam("limit") == null ? 100 : (int) Math.max(1, seconds(ctx.queryParam("limit"), "limit", 100L));
        int end = Math.min(all.size(), offset + limit);
        if (end < all.size()) {
            ctx.header("x-next-token", Integer.toString(end));
        }
        Responses.ok(ctx, all.subList(Math.min(offset, all.size()), end));
    }

    /**
     * E2B's metadata filter: {@code k=v&k2=v2}, the whole URL-encoded once more than a query
     * value, each key and value once more again (E2B's own parseFilters).
     */
    static Map<String, String> metadataFilter(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        for (String pair : URLDecoder.decode(raw, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String state(SandboxRow row) {
        return SandboxStatus.STOPPED.wire().equals(row.status()) ? "paused" : "running";
    }

    private static String template(SandboxRow row) {
        String t = row.labels().get(E2bLifetimes.TEMPLATE);
        return t != null ? t : row.templateId() != null ? row.templateId() : BASE_TEMPLATE;
    }

    private static Map<String, String> metadata(SandboxRow row) {
        Map<String, String> m = new LinkedHashMap<>(row.labels());
        m.keySet().removeIf(k -> k.startsWith(E2bLifetimes.PREFIX));
        return m;
    }

    /** E2B's {@code Sandbox}: the answer to a create or connect, with the envd access token. */
    private Map<String, Object> sandbox(SandboxRow row) {
        return sandbox(row, tokens);
    }

    static Map<String, Object> sandbox(SandboxRow row, E2bTokens tokens) {
        Map<String, Object> m = identity(row);
        m.put("envdAccessToken", tokens.token(row.id()));
        return m;
    }

    /** What every E2B view of a sandbox starts with. */
    private static Map<String, Object> identity(SandboxRow row) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sandboxID", row.id());
        m.put("templateID", template(row));
        m.put("alias", template(row));
        m.put("clientID", "bhatti");
        m.put("envdVersion", ENVD_VERSION);
        return m;
    }

    private Map<String, Object> listed(SandboxRow row) {
        Map<String, Object> m = identity(row);
        m.put("startedAt", row.createdAt().toString());
        m.put("endAt", E2bLifetimes.endAt(row).orElse(Instant.parse("9999-12-31T23:59:59Z")).toString());
        m.put("state", state(row));
        m.put("cpuCount", row.cpus());
        m.put("memoryMB", row.memoryMb());
        m.put("diskSizeMB", row.diskSizeMb() == null ? 0 : row.diskSizeMb());
        m.put("metadata", metadata(row));
        return m;
    }

    private Map<String, Object> detail(SandboxRow row) {
        Map<String, Object> m = listed(row);
        m.put("lifecycle", Map.of("onTimeout", "pause".equals(row.labels().get(E2bLifetimes.ON_TIMEOUT)) ? "pause" : "kill",
                "autoResume", false));
        return m;
    }

    static Map<String, Object> body(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            return Map.of();
        }
        try {
            Object tree = dev.bhatti.proto.Json.decode(bytes, Object.class);
            if (tree instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) m;
                return map;
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw new ApiException(ErrorCode.INVALID_JSON, "the body is not JSON: " + e.getMessage());
        }
        throw new ApiException(ErrorCode.INVALID_JSON, "the body must be a JSON object");
    }

    static String text(Object v, String field) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new ApiException(ErrorCode.INVALID_JSON, field + " must be a string");
    }

    static long seconds(Object v, String field, Long dflt) {
        if (v == null) {
            if (dflt == null) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, field + " is required");
            }
            return dflt;
        }
        try {
            long n = v instanceof Number num ? num.longValue() : Long.parseLong(v.toString());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(ErrorCode.INVALID_REQUEST, field + " must be a non-negative integer, got " + v);
    }

    static Map<String, String> strings(Object v, String field) {
        if (v == null) {
            return Map.of();
        }
        if (v instanceof Map<?, ?> m && m.values().stream().allMatch(x -> x instanceof String)
                && m.keySet().stream().allMatch(x -> x instanceof String)) {
            Map<String, String> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, (String) x));
            return out;
        }
        throw new ApiException(ErrorCode.INVALID_JSON, field + " must be an object of strings");
    }

    private static List<String> list(Object v, String field) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)) {
            return l.stream().map(String.class::cast).toList();
        }
        throw new ApiException(ErrorCode.INVALID_JSON, field + " must be an array of strings");
    }
}

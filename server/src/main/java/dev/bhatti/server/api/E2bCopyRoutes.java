package dev.bhatti.server.api;

import static dev.bhatti.server.api.E2bControlRoutes.PREFIX;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.server.e2b.E2bLifetimes;
import dev.bhatti.server.sandbox.Copying;
import dev.bhatti.server.sandbox.PatchRequest;
import dev.bhatti.server.store.CheckpointRow;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.User;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * E2B's copies of a sandbox over bhatti's: {@code fork} is bhatti's fork, a snapshot is a
 * checkpoint (memory and disk), and a snapshot's id works as a {@code templateID}
 * (docs/e2b.md).
 */
final class E2bCopyRoutes implements ApiServer.Routes {
    private final ApiContext api;
    private final Guard guard;

    E2bCopyRoutes(ApiContext api, Guard guard) {
        this.api = api;
        this.guard = guard;
    }

    @Override
    public void register(JavalinDefaultRoutingApi r) {
        r.post(PREFIX + "/sandboxes/{id}/fork", this::fork);
        r.post(PREFIX + "/sandboxes/{id}/snapshots", this::snapshot);
        r.get(PREFIX + "/snapshots", this::snapshots);
        r.delete(PREFIX + "/templates/{id}", ctx -> {
            User user = guard.user(ctx);
            CheckpointRow cp = snapshotOf(api, user, ctx.pathParam("id")).orElseThrow(() -> new ApiException(
                    ErrorCode.CHECKPOINT_NOT_FOUND, "snapshot " + ctx.pathParam("id") + " not found"));
            copies().deleteCheckpoint(user, cp.sandboxId(), cp.id());
            ctx.status(204);
        });
    }

    private Copying copies() {
        return api.sandboxes().copies();
    }

    /**
     * {@code count} children copied from the running sandbox's memory and disk, every process
     * going on in each. A child of an E2B sandbox gets its own timeout (E2B's default when none is
     * given). All children are made or none: the answer has one {@code {"sandbox": ...}} per child.
     */
    private void fork(Context ctx) {
        User user = guard.user(ctx, RateLimits.Kind.CREATE);
        Map<String, Object> body = E2bControlRoutes.body(ctx);
        long timeout = E2bControlRoutes.seconds(body.get("timeout"), "timeout", (long) E2bLifetimes.DEFAULT_TIMEOUT_SEC);
        Object count = body.get("count");
        if (count != null && !(count instanceof Integer)) {
            throw new ApiException(ErrorCode.INVALID_COUNT, "count must be a whole number, got " + count);
        }
        SandboxRow parent = api.sandboxes().row(user, ctx.pathParam("id"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (var child : copies().fork(user, parent.id(), new Copying.ForkRequest((Integer) count, null))) {
            SandboxRow row = api.sandboxes().row(user, child.id());
            if (row.labels().containsKey(E2bLifetimes.TEMPLATE)) {
                api.e2bLifetimes().setTimeout(user, row.id(), timeout);
            }
            out.add(Map.of("sandbox", E2bControlRoutes.sandbox(api.sandboxes().row(user, row.id()), api.e2bTokens())));
        }
        Responses.json(ctx, 201, out);
    }

    /** A checkpoint of the sandbox, named when the SDK gives a name. */
    private void snapshot(Context ctx) {
        User user = guard.user(ctx, RateLimits.Kind.HEAVY);
        String name = E2bControlRoutes.text(E2bControlRoutes.body(ctx).get("name"), "name");
        SandboxRow row = api.sandboxes().row(user, ctx.pathParam("id"));
        CheckpointRow cp = copies().checkpoint(user, row.id(), new Copying.CheckpointRequest(name));
        Responses.json(ctx, 201, view(cp));
    }

    /** The caller's snapshots, newest first; {@code sandboxID} and {@code name} filter. */
    private void snapshots(Context ctx) {
        User user = guard.user(ctx);
        String sandbox = ctx.queryParam("sandboxID");
        String name = ctx.queryParam("name");
        List<SandboxRow> rows = sandbox == null ? api.store().sandboxes(user.id(), Map.of())
                : List.of(api.sandboxes().row(user, sandbox));
        List<Map<String, Object>> out = rows.stream()
                .flatMap(r -> api.store().checkpoints(user.id(), r.id()).stream())
                .filter(cp -> name == null || name.equals(cp.name()))
                .sorted(Comparator.comparing(CheckpointRow::createdAt).reversed())
                .map(E2bCopyRoutes::view).toList();
        Responses.ok(ctx, out);
    }

    private static Map<String, Object> view(CheckpointRow cp) {
        return Map.of("snapshotID", cp.id(), "names", List.of(cp.name()));
    }

    /** The user's checkpoint with this id, if {@code templateId} names one. */
    static Optional<CheckpointRow> snapshotOf(ApiContext api, User user, String templateId) {
        if (templateId == null || !templateId.startsWith("cp-")) {
            return Optional.empty();
        }
        return api.store().checkpoint(user.id(), null, templateId).filter(cp -> cp.id().equals(templateId));
    }

    /**
     * Makes an E2B sandbox's labels exactly {@code labels}: a copy from a checkpoint starts with
     * its source's, which are not the new sandbox's metadata.
     */
    static void replaceLabels(ApiContext api, User user, SandboxRow row, Map<String, String> labels) {
        List<String> drop = row.labels().keySet().stream().filter(k -> !labels.containsKey(k)).toList();
        api.sandboxes().patch(user, row.id(), new PatchRequest(null, null, labels, drop, null));
    }
}

package dev.bhatti.server.sandbox;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.api.SandboxStatus;
import dev.bhatti.engine.Copies;
import dev.bhatti.engine.Engine;
import dev.bhatti.engine.FaultPoint;
import dev.bhatti.server.api.ApiException;
import dev.bhatti.server.store.CheckpointRow;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.Store;
import dev.bhatti.server.store.User;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forks and checkpoints (issue 11, decision 0022): {@code POST /sandboxes/:id/fork},
 * {@code /checkpoints}, {@code /restore} and {@code POST /sandboxes {"checkpoint"}}. Children are
 * reserved like creates (sandbox count and storage quota, names), then made by the engine; on any
 * failure every reserved child is undone. Checkpoints count against the storage quota with their
 * size on disk and are removed with their sandbox.
 */
public final class Copying {
    private static final Logger log = LoggerFactory.getLogger(Copying.class);
    /** The most children one fork makes. */
    public static final int MAX_FORK_COUNT = 10;

    /** Body of {@code POST /sandboxes/:id/fork}: how many children, and the name (or name prefix) they get. */
    public record ForkRequest(Integer count, String name) {}

    /** Body of {@code POST /sandboxes/:id/checkpoints}. */
    public record CheckpointRequest(String name) {}

    /** Body of {@code POST /sandboxes/:id/restore}: a checkpoint's id or name. */
    public record RestoreRequest(String checkpoint) {}

    private final Store store;
    private final Engine engine;
    private final Creation creation;
    private final Sandboxes sandboxes;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Copying(Store store, Engine engine, Creation creation, Sandboxes sandboxes, Clock clock) {
        this.store = store;
        this.engine = engine;
        this.creation = creation;
        this.sandboxes = sandboxes;
        this.clock = clock;
    }

    /** Forks the user's sandbox into {@code count} new ones; answers them in order. */
    public List<SandboxView> fork(User user, String ref, ForkRequest request) {
        int count = request.count() == null ? 1 : request.count();
        if (count < 1 || count > MAX_FORK_COUNT) {
            throw new ApiException(ErrorCode.INVALID_COUNT, "count must be 1.." + MAX_FORK_COUNT + ", got " + count);
        }
        if (request.name() != null) {
            Names.requireSandboxName(request.name());
        }
        List<String> names = childNames(user, sandboxes.row(user, ref), request.name(), count);
        SandboxRow parent = sandboxes.rowWithVm(user, ref);
        List<SandboxRow> rows = new ArrayList<>();
        Sandboxes.Hot hot = sandboxes.hot(parent);
        try {
            for (String name : names) {
                rows.add(creation.reserveCopy(user, parent, name));
            }
            FaultPoint.reach("fork.after_reserve");
            Copies.Forked forked = engine.fork(parent.id(), rows.stream()
                    .map(r -> new Copies.Child(r.id(), r.name())).toList(), user.id());
            List<SandboxView> views = new ArrayList<>();
            for (SandboxRow row : rows) {
                SandboxRow running = row.withVmState(sandboxes.vmState(row.id()));
                store.updateSandbox(running);
                sandboxes.touch(row.id());
                views.add(sandboxes.view(running));
            }
            log.info("event=sandbox_forked parent={} children={} user={} paused_ms={}", parent.id(),
                    rows.stream().map(SandboxRow::id).toList(), user.name(), forked.pausedMs());
            return views;
        } catch (RuntimeException e) {
            rows.forEach(creation::undo);
            throw e;
        } finally {
            sandboxes.release(hot);
        }
    }

    /**
     * The names of a fork's children: {@code name} for one child, {@code name-1..name-N} for more;
     * without a name {@code <parent>-fork-<n>} with the lowest free numbers. A taken name is a conflict.
     */
    private List<String> childNames(User user, SandboxRow parent, String name, int count) {
        List<String> names = new ArrayList<>();
        if (name != null) {
            for (int i = 1; i <= count; i++) {
                String n = count == 1 ? name : name + "-" + i;
                Names.requireSandboxName(n);
                if (store.sandbox(user.id(), n).isPresent()) {
                    throw new ApiException(ErrorCode.NAME_CONFLICT, "sandbox name " + n + " is already in use");
                }
                names.add(n);
            }
            return names;
        }
        Set<String> taken = new HashSet<>();
        store.sandboxes(user.id(), java.util.Map.of()).forEach(r -> taken.add(r.name()));
        // A parent whose name leaves no room for the suffix gets children named by its id.
        String base = Names.valid(parent.name() + "-fork-" + MAX_FORK_COUNT * 100) ? parent.name() + "-fork-"
                : "fork-" + parent.id().substring(3) + "-";
        for (int n = 1; names.size() < count; n++) {
            if (!taken.contains(base + n)) {
                names.add(base + n);
            }
        }
        return names;
    }

    /** Writes a checkpoint of the user's sandbox (waking it if needed); its name defaults to its id. */
    public CheckpointRow checkpoint(User user, String ref, CheckpointRequest request) {
        if (request.name() != null) {
            Names.requireValid(request.name());
        }
        SandboxRow row = sandboxes.rowWithVm(user, ref);
        String id = "cp-" + hex(6);
        String name = request.name() == null ? id : request.name();
        if (store.checkpoint(user.id(), row.id(), name).isPresent()) {
            throw new ApiException(ErrorCode.NAME_CONFLICT, "checkpoint name " + name + " is already in use in sandbox "
                    + row.name());
        }
        creation.requireCheckpointRoom(user, row);
        Sandboxes.Hot hot = sandboxes.hot(row);
        try {
            Copies.Checkpointed written = engine.checkpoint(row.id(), id);
            FaultPoint.reach("checkpoint.after_files");
            try {
                return store.insertCheckpoint(new CheckpointRow(id, user.id(), row.id(), name, clock.instant(),
                        written.sizeBytes()));
            } catch (RuntimeException e) {
                engine.deleteCheckpoint(id);
                throw e;
            }
        } finally {
            sandboxes.release(hot);
        }
    }

    public List<CheckpointRow> checkpoints(User user, String ref) {
        SandboxRow row = sandboxes.row(user, ref);
        return store.checkpoints(user.id(), row.id());
    }

    /** Rolls the user's sandbox back to one of its checkpoints: memory and disk; it ends running. */
    public SandboxView restore(User user, String ref, RestoreRequest request) {
        if (request.checkpoint() == null || request.checkpoint().isBlank()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "checkpoint (an id or name of one of the sandbox's "
                    + "checkpoints) is required");
        }
        SandboxRow row = sandboxes.rowWithVm(user, ref);
        CheckpointRow cp = own(user, row, request.checkpoint());
        engine.restoreCheckpoint(row.id(), cp.id());
        SandboxRow running = row.withStatus(SandboxStatus.RUNNING).withStoppedAt(null)
                .withVmState(sandboxes.vmState(row.id()));
        store.updateSandbox(running);
        sandboxes.touch(row.id());
        log.info("event=sandbox_restored sandbox={} checkpoint={} user={}", row.id(), cp.id(), user.name());
        return sandboxes.view(running);
    }

    public void deleteCheckpoint(User user, String ref, String checkpointRef) {
        SandboxRow row = sandboxes.row(user, ref);
        CheckpointRow cp = own(user, row, checkpointRef);
        store.deleteCheckpoint(cp.id());
        engine.deleteCheckpoint(cp.id());
    }

    /** A new sandbox from a checkpoint of the user (by id): the create path of {@link Creation}. */
    Creation.Result createFromCheckpoint(User user, String checkpointId, String name) {
        CheckpointRow cp = store.checkpoint(user.id(), null, checkpointId).orElseThrow(() -> notFound(checkpointId));
        SandboxRow source = store.sandboxById(cp.sandboxId()).orElseThrow(() -> notFound(checkpointId));
        String childName = name == null ? source.name() + "-from-" + cp.name() : name;
        Names.requireSandboxName(childName);
        var existing = store.sandbox(user.id(), childName).filter(r -> r.name().equals(childName));
        if (existing.isPresent()) {
            return new Creation.Result(existing.get(), true);
        }
        SandboxRow row = creation.reserveCopy(user, source, childName);
        try {
            engine.createFromCheckpoint(cp.id(), new Copies.Child(row.id(), row.name()), user.id());
            SandboxRow running = row.withVmState(sandboxes.vmState(row.id()));
            store.updateSandbox(running);
            return new Creation.Result(running, false);
        } catch (RuntimeException e) {
            creation.undo(row);
            throw e;
        }
    }

    private CheckpointRow own(User user, SandboxRow row, String checkpointRef) {
        return store.checkpoint(user.id(), row.id(), checkpointRef).filter(c -> c.sandboxId().equals(row.id()))
                .orElseThrow(() -> notFound(checkpointRef));
    }

    private static ApiException notFound(String ref) {
        return new ApiException(ErrorCode.CHECKPOINT_NOT_FOUND, "checkpoint " + ref + " not found");
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

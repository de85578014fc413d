package dev.bhatti.server.sandbox;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.api.SandboxStatus;
import dev.bhatti.api.ThermalState;
import dev.bhatti.client.AgentClient;
import dev.bhatti.engine.Engine;
import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.FaultPoint;
import dev.bhatti.engine.StartedFrom;
import dev.bhatti.engine.Thermal;
import dev.bhatti.engine.VmInfo;
import dev.bhatti.server.api.ApiException;
import dev.bhatti.server.recovery.Recovery;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.Store;
import dev.bhatti.server.store.User;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandboxes of a user: lookup by id or name (another user's sandbox is "not found"), the thermal
 * view, lifecycle (stop, start, destroy), edits, and {@link #hot} — the entry of every VM-touching
 * route: ensureHot, record activity, hand out the agent. Creation lives in {@link Creation}.
 */
public final class Sandboxes {
    private static final Logger log = LoggerFactory.getLogger(Sandboxes.class);

    private final Store store;
    private final Engine engine;
    private final Clock clock;
    private final Consumer<String> activity;
    private final Function<String, AutoCloseable> holds;
    private final Creation creation;
    private final Copying copying;
    private final dev.bhatti.server.egress.EgressLog egressLog;

    /**
     * @param activity records API activity on a sandbox (the thermal manager's host-side cache)
     * @param holds    keeps a sandbox hot until the returned handle is closed
     */
    public Sandboxes(Store store, Engine engine, Creation creation, Consumer<String> activity,
                     Function<String, AutoCloseable> holds, Clock clock) {
        this.store = store;
        this.engine = engine;
        this.creation = creation;
        this.activity = activity;
        this.holds = holds;
        this.clock = clock;
        this.copying = new Copying(store, engine, creation, this, clock);
        this.egressLog = new dev.bhatti.server.egress.EgressLog(store, clock);
        engine.egressEvents(egressLog::accept);
    }

    /**
     * The user's sandbox's egress audit log at or after {@code since}, newest first, at most
     * {@code limit} (decision 0024); does not wake it.
     */
    public List<dev.bhatti.server.store.EgressRecord> egressLog(User user, String ref, java.time.Instant since, int limit) {
        return egressLog.list(row(user, ref).id(), since, limit);
    }

    /** Stops writing the egress audit log (what is queued is written). */
    public void close() {
        egressLog.close();
    }

    /** The egress policies of sandboxes, templates and checkpoints. */
    public dev.bhatti.server.egress.EgressPolicies egress() {
        return creation.egress();
    }

    /** A generated sandbox name, as a create without a name gets. */
    public String freshName() {
        return creation.freshName();
    }

    /** Forks and checkpoints of these sandboxes. */
    public Copying copies() {
        return copying;
    }

    /** A hot sandbox's agent, held hot until closed (the end of the request or of the shell). */
    public record Hot(String id, AgentClient agent, AutoCloseable hold) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            hold.close();
        }
    }

    /** Creates (or, for a taken name, returns) a sandbox; a new one counts as just used. */
    public Creation.Result create(User user, CreateRequest request) {
        Creation.Result result = request.checkpoint() == null ? creation.create(user, request)
                : copying.createFromCheckpoint(user, request.fromCheckpoint(), request.name());
        activity.accept(result.row().id());
        return result;
    }

    public SandboxRow row(User user, String ref) {
        return store.sandbox(user.id(), ref).orElseThrow(() -> notFound(ref));
    }

    public SandboxView view(SandboxRow row) {
        try {
            VmInfo vm = engine.status(row.id());
            String reason = vm.broken().map(Sandboxes::firstLine).orElse(healthy(row) ? null : UNCONFIRMED);
            return SandboxView.of(row, SandboxView.thermal(vm.thermal()), vm.ip().orElse(null), reason,
                    vm.createdFrom().wire(), creation.egress().of(row.id()));
        } catch (EngineException.NotFound e) {
            return SandboxView.of(row, ThermalState.COLD, null, healthy(row) ? null : lost(row), null,
                    creation.egress().of(row.id()));
        }
    }

    /** Why an unknown sandbox whose VM the engine has without a fault is unknown. */
    private static final String UNCONFIRMED = "the daemon could not confirm this sandbox's last state at its restart; "
            + "start it (with force if needed) or destroy it";

    private static boolean healthy(SandboxRow row) {
        return row.state() != SandboxStatus.FAILED && row.state() != SandboxStatus.UNKNOWN;
    }

    /** Why a sandbox has no VM in the engine. */
    private static String lost(SandboxRow row) {
        return row.vmState() == null ? Recovery.CREATE_INTERRUPTED
                : "its VM state was lost; destroy it and create a new one";
    }

    /**
     * The engine's VM of the row, or a 409 naming the sandbox (never the engine's 404: the row was
     * found, so "not found" would contradict GET): {@code sandbox_failed} for a failed sandbox,
     * {@code sandbox_unknown} otherwise.
     */
    private VmInfo requireVm(SandboxRow row) {
        try {
            return engine.status(row.id());
        } catch (EngineException.NotFound e) {
            String label = "sandbox " + row.name() + " (" + row.id() + ")";
            if (row.state() == SandboxStatus.FAILED) {
                throw new ApiException(ErrorCode.SANDBOX_FAILED, label + " failed: " + lost(row));
            }
            throw new ApiException(ErrorCode.SANDBOX_UNKNOWN, label
                    + " has no VM this daemon can start (its state was lost); destroy it and create a new one");
        }
    }

    /** The user's sandbox, or 404; a 409 when it has no VM this daemon can start (see {@code requireVm}). */
    public SandboxRow rowWithVm(User user, String ref) {
        SandboxRow row = row(user, ref);
        requireVm(row);
        return row;
    }

    public SandboxView get(User user, String ref) {
        return view(row(user, ref));
    }

    public List<SandboxView> list(User user, Map<String, String> labels) {
        return store.sandboxes(user.id(), labels).stream().map(this::view).toList();
    }

    /**
     * The agent of the user's sandbox, made hot first and held hot until the caller closes the
     * answer: a request that takes long (a restore, a long exec) is never paused under it.
     */
    public Hot hot(User user, String ref) {
        return hot(row(user, ref));
    }

    /**
     * {@link #hot(User, String)} for a row already found (public preview traffic has no user). A
     * stop that lands between the wake and taking the agent is waited out and the VM woken again
     * (a few times; then 503 {@code sandbox_not_hot}).
     */
    public Hot hot(SandboxRow row) {
        AutoCloseable hold = holds.apply(row.id());
        try {
            activity.accept(row.id());
            for (int attempt = 1; ; attempt++) {
                ensureHot(row);
                try {
                    return new Hot(row.id(), engine.agent(row.id()), hold);
                } catch (EngineException.NotHot e) {
                    if (attempt >= WAKE_ATTEMPTS) {
                        throw e;
                    }
                } catch (EngineException.VmmDied e) {
                    throw failed(row.id(), e);
                }
            }
        } catch (RuntimeException e) {
            release(hold);
            throw e;
        }
    }

    private static final int WAKE_ATTEMPTS = 3;

    /**
     * What a request's failure to talk to the agent of {@code hot} means for its caller: the VMM
     * died (409 {@code sandbox_failed}), the sandbox was stopped or restarted under the request
     * (503 {@code sandbox_interrupted}), or the agent did not answer (503 {@code agent_unreachable}).
     */
    public ApiException agentFailure(Hot hot, IOException e) {
        String id = hot.id();
        VmInfo vm;
        try {
            vm = engine.status(id);
        } catch (EngineException.NotFound gone) {
            return new ApiException(ErrorCode.SANDBOX_UNKNOWN, "sandbox " + id + " went away while the request ran");
        }
        try {
            if (engine.agent(id) == hot.agent()) {
                return new ApiException(ErrorCode.AGENT_UNREACHABLE, "the agent of sandbox " + id
                        + " did not answer: " + e.getMessage() + "; retry, or start the sandbox again if it persists");
            }
        } catch (EngineException.VmmDied died) {
            return failed(id, died);
        } catch (EngineException ignored) {
            // not hot any more: stopped (or paused) while the request ran
        }
        return new ApiException(ErrorCode.SANDBOX_INTERRUPTED, "sandbox " + id + " was "
                + (vm.thermal() == Thermal.HOT ? "restarted" : "stopped") + " while the request ran, which cut its "
                + "connection to the agent; the command's outcome is unknown; run it again");
    }

    private static ApiException failed(String id, EngineException.VmmDied e) {
        return new ApiException(ErrorCode.SANDBOX_FAILED, "sandbox " + id + " failed: " + firstLine(e.reason())
                + "; its processes are gone, its disk is kept; POST /sandboxes/" + id
                + "/start (bhatti start) brings it back");
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    /** Lets a sandbox {@link #hot} held go (a failure to is logged). */
    void release(Hot hot) {
        release(hot.hold());
    }

    private static void release(AutoCloseable hold) {
        try {
            hold.close();
        } catch (Exception e) {
            log.warn("event=hold_release_failed error=\"{}\"", e.getMessage());
        }
    }

    /** Whether the sandbox's VM is running now (no request needs to wake it). */
    public boolean isHot(String id) {
        try {
            return engine.status(id).thermal() == Thermal.HOT;
        } catch (EngineException.NotFound e) {
            return false;
        }
    }

    /** The agent of a sandbox that is hot now, without waking it (EngineException.NotHot otherwise). */
    public AgentClient agentIfHot(String id) {
        return engine.agent(id);
    }

    /** Wakes the sandbox if needed and brings an "unknown" or "stopped" row back to running. */
    public void ensureHot(SandboxRow row) {
        Thermal before = requireVm(row).thermal();
        try {
            engine.ensureHot(row.id());
        } catch (EngineException.VmmDied e) {
            throw failed(row.id(), e);
        }
        if (before == Thermal.COLD || row.state() != SandboxStatus.RUNNING) {
            store.updateSandbox(row.withStatus(SandboxStatus.RUNNING).withStoppedAt(null).withVmState(vmState(row.id())));
        }
    }

    public SandboxView stop(User user, String ref) {
        SandboxRow row = row(user, ref);
        requireVm(row);
        engine.stop(row.id());
        FaultPoint.reach("stop.after_snapshot");
        SandboxRow stopped = row.withStatus(SandboxStatus.STOPPED).withStoppedAt(clock.instant()).withVmState(vmState(row.id()));
        store.updateSandbox(stopped);
        return view(stopped);
    }

    public SandboxView start(User user, String ref, boolean force) {
        SandboxRow row = row(user, ref);
        requireVm(row);
        StartedFrom from = engine.start(row.id(), force);
        FaultPoint.reach("start.after_restore");
        SandboxRow running = row.withStatus(SandboxStatus.RUNNING).withStoppedAt(null).withVmState(vmState(row.id()));
        store.updateSandbox(running);
        log.info("event=sandbox_start sandbox={} user={} from={}", row.id(), user.name(), from.name().toLowerCase());
        return view(running).startedFrom(from.name().toLowerCase());
    }

    /**
     * Renames, relabels, sets keep_hot and replaces the egress policy (live). A refused keep_hot (a sandbox with no VM, or one whose
     * wake fails) changes nothing: the VM is checked before anything is stored, and the stored
     * row is put back when the wake fails.
     */
    public SandboxView patch(User user, String ref, PatchRequest patch) {
        SandboxRow row = row(user, ref);
        SandboxRow before = row;
        if (Boolean.TRUE.equals(patch.keepHot())) {
            requireVm(row);
        }
        if (patch.network() != null) {
            dev.bhatti.server.egress.EgressPolicies.normalized(patch.network());
        }
        if (patch.name() != null) {
            Names.requireSandboxName(patch.name());
            String taken = patch.name();
            if (store.sandbox(user.id(), taken).filter(r -> r.id().equals(taken)).isPresent()) {
                throw Names.reserved(taken);
            }
            row = row.withName(patch.name());
        }
        if (!patch.labelsAdd().isEmpty() || !patch.labelsRemove().isEmpty()) {
            row = row.withLabels(Labels.apply(row.labels(), patch.labelsAdd(), patch.labelsRemove()));
        }
        if (patch.keepHot() != null) {
            row = row.withKeepHot(patch.keepHot());
        }
        if (patch.network() != null) {
            creation.egress().apply(row.id(), patch.network());
            log.info("event=sandbox_network_policy sandbox={} user={}", row.id(), user.name());
        }
        store.updateSandbox(row);
        if (Boolean.TRUE.equals(patch.keepHot())) {
            try {
                ensureHot(row);
            } catch (RuntimeException e) {
                store.updateSandbox(row(user, row.id()).withName(before.name()).withLabels(before.labels())
                        .withKeepHot(before.keepHot()));
                throw e;
            }
            row = row(user, row.id());
        }
        return view(row);
    }

    /** Destroys the VM and every file of it, then forgets the row (its name is free at once). */
    public void destroy(User user, String ref) {
        SandboxRow row = row(user, ref);
        creation.destroy(row);
        log.info("event=sandbox_destroyed sandbox={} user={}", row.id(), user.name());
    }

    /** Records API activity on a sandbox (it counts as just used). */
    void touch(String id) {
        activity.accept(id);
    }

    /** How many sandboxes the engine runs (for health). */
    public int count() {
        return engine.list().size();
    }

    String vmState(String id) {
        return VmStateJson.of(engine, id);
    }

    static ApiException notFound(String ref) {
        return new ApiException(ErrorCode.SANDBOX_NOT_FOUND, "sandbox " + ref + " not found");
    }
}

package dev.bhatti.sdk;

import dev.bhatti.api.ExecEvent;
import dev.bhatti.api.model.Checkpoint;
import dev.bhatti.api.model.CheckpointRequest;
import dev.bhatti.api.model.DetachedExec;
import dev.bhatti.api.model.ExecRequest;
import dev.bhatti.api.model.ExecResult;
import dev.bhatti.api.model.ForkRequest;
import dev.bhatti.api.model.Port;
import dev.bhatti.api.model.PublishRequest;
import dev.bhatti.api.model.Published;
import dev.bhatti.api.model.RestoreRequest;
import dev.bhatti.api.model.SandboxEdit;
import dev.bhatti.api.model.SandboxView;
import dev.bhatti.api.model.Session;
import dev.bhatti.api.model.StartRequest;
import dev.bhatti.sdk.internal.Codec;
import java.net.http.WebSocket;
import java.util.List;
import java.util.function.Consumer;

/**
 * One sandbox, by id or name: run commands, move files, open a terminal, publish ports, stop,
 * start, edit, destroy. {@link #view()} is the sandbox as last seen (after create, get, stop,
 * start, edit); {@code null} for a handle from {@link Sandboxes#named}.
 */
public final class Sandbox {
    private final Transport transport;
    private final String ref;
    private volatile SandboxView view;
    private final boolean existing;

    Sandbox(Transport transport, SandboxView view, boolean existing) {
        this.transport = transport;
        this.ref = view.id();
        this.view = view;
        this.existing = existing;
    }

    Sandbox(Transport transport, String ref) {
        this.transport = transport;
        this.ref = ref;
        this.existing = false;
    }

    static String path(String idOrName) {
        return "/sandboxes/" + Transport.encode(idOrName);
    }

    private String path() {
        return path(ref);
    }

    /** The id (or, for a handle by name, the name) calls go to. */
    public String ref() {
        return ref;
    }

    /** The sandbox as last seen by this handle; {@code null} when never fetched. */
    public SandboxView view() {
        return view;
    }

    /** Whether the create that returned this handle found the sandbox already there. */
    public boolean existing() {
        return existing;
    }

    /** Fetches the sandbox now. */
    public SandboxView refresh() {
        return remember(transport.call("GET", path(), null, SandboxView.class));
    }

    private SandboxView remember(SandboxView seen) {
        view = seen;
        return seen;
    }

    /** Runs {@code argv} (buffered: output arrives at the end, at most 10 MiB per stream). */
    public ExecResult exec(String... argv) {
        return exec(ExecRequest.of(argv));
    }

    /** Runs a command, buffered. */
    public ExecResult exec(ExecRequest request) {
        return transport.call("POST", path() + "/exec", request, ExecResult.class);
    }

    /** Starts a command in the background: its pid and the guest file its output goes to. */
    public DetachedExec execDetached(ExecRequest request) {
        return transport.call("POST", path() + "/exec", request.withDetach(true), DetachedExec.class);
    }

    /**
     * Runs a command with its output streamed: {@code listener} gets each event as it happens
     * (stdout, stderr, then an exit or an error); returns the exit code. A stream that ends with
     * an {@link ExecEvent.Error} (the listener saw it too) throws that error's exception.
     */
    public int exec(ExecRequest request, Consumer<ExecEvent> listener) {
        return switch (stream(request, listener)) {
            case ExecEvent.Exit exit -> exit.exitCode();
            case ExecEvent.Error error -> throw BhattiException.of(error.code() == null ? 0 : error.code().status(),
                    error.code() == null ? "" : error.code().code(), error.message());
            default -> throw new IllegalStateException("not a final event");
        };
    }

    /**
     * Like {@link #exec(ExecRequest, Consumer)}, but returns the final event instead: an
     * {@link ExecEvent.Exit} or an {@link ExecEvent.Error}.
     */
    public ExecEvent stream(ExecRequest request, Consumer<ExecEvent> listener) {
        return ExecStream.run(transport, path() + "/exec", request, listener);
    }

    /** Files in the sandbox. */
    public SandboxFiles files() {
        return new SandboxFiles(transport, path());
    }

    /**
     * Opens an interactive shell (a new TTY session) over the WebSocket; {@code listener} gets the
     * daemon's frames. Close the terminal to detach.
     */
    public Terminal terminal(WebSocket.Listener listener) {
        return terminal("", listener);
    }

    /**
     * Opens or re-attaches a TTY session; {@code query} is the WebSocket's query string without
     * {@code ?} (e.g. {@code session=ID}, {@code cmd=...}), empty for a new shell.
     */
    public Terminal terminal(String query, WebSocket.Listener listener) {
        return new Terminal(Sockets.open(transport, path() + "/ws" + (query.isEmpty() ? "" : "?" + query), listener));
    }

    /** The sandbox's TTY and exec sessions. */
    public List<Session> sessions() {
        return Codec.list(transport.json("GET", path() + "/sessions", null), Session.class);
    }

    /** Ports listening inside the sandbox, with their proxy path on the daemon. */
    public List<Port> ports() {
        return Codec.list(transport.json("GET", path() + "/ports", null), Port.class);
    }

    /** Publishes {@code port} under a public alias ({@code null}: the daemon picks one). */
    public Published publish(int port, String alias) {
        return transport.call("POST", path() + "/publish", new PublishRequest(port, alias), Published.class);
    }

    /** Publishes a port; also says whether it was published already ({@code X-Bhatti-Existing}). */
    public Publication publication(int port, String alias) {
        try (var r = transport.send("POST", path() + "/publish", new PublishRequest(port, alias), java.util.Map.of())) {
            return new Publication(Codec.value(transport.tree(r), Published.class),
                    r.header("X-Bhatti-Existing").isPresent());
        } catch (java.io.IOException e) {
            throw transport.failed(e);
        }
    }

    /** A publish's rule, and whether it existed before the call. */
    public record Publication(Published rule, boolean existing) {}

    /** The published ports. */
    public List<Published> published() {
        return Codec.list(transport.json("GET", path() + "/publish", null), Published.class);
    }

    /** Stops publishing {@code port}. */
    public void unpublish(int port) {
        transport.json("DELETE", path() + "/publish/" + port, null);
    }

    /** Stops the sandbox (snapshot, VM gone); returns it as it is now. */
    public SandboxView stop() {
        return remember(transport.call("POST", path() + "/stop", null, SandboxView.class));
    }

    /** Starts the sandbox; {@code started_from} says how. */
    public SandboxView start() {
        return start(false);
    }

    /** Starts the sandbox; {@code force} boots its disk, ignoring a snapshot or a failed mark. */
    public SandboxView start(boolean force) {
        return remember(transport.call("POST", path() + "/start", new StartRequest(force ? true : null),
                SandboxView.class));
    }

    /** Changes name, keep-hot or labels. */
    public SandboxView edit(SandboxEdit edit) {
        return remember(transport.call("PATCH", path(), edit, SandboxView.class));
    }

    /**
     * Forks the sandbox into {@code count} (1..10) new ones with its memory, disk and env, each its
     * own machine; {@code name} (or {@code null}) names them (decision 0022). The sandbox itself
     * stands still only while it is copied.
     */
    public List<Sandbox> fork(int count, String name) {
        List<SandboxView> children = Codec.list(transport.json("POST", path() + "/fork",
                new ForkRequest(count, name)), SandboxView.class);
        return children.stream().map(v -> new Sandbox(transport, v, false)).toList();
    }

    /** Writes a checkpoint of its memory and disk now; {@code name} may be {@code null}. */
    public Checkpoint checkpoint(String name) {
        return transport.call("POST", path() + "/checkpoints", new CheckpointRequest(name),
                Checkpoint.class);
    }

    /** Its checkpoints, oldest first. */
    public List<Checkpoint> checkpoints() {
        return Codec.list(transport.json("GET", path() + "/checkpoints", null), Checkpoint.class);
    }

    /** Its egress audit log, newest first: every connection its guest tried and every name it resolved (decision 0024). */
    public List<dev.bhatti.api.model.EgressEntry> egress() {
        return egress(null);
    }

    /** Its egress audit log at or after {@code since} (null: all kept), newest first. */
    public List<dev.bhatti.api.model.EgressEntry> egress(java.time.Instant since) {
        String query = since == null ? "" : "?since=" + Transport.encode(since.toString());
        return Codec.list(transport.json("GET", path() + "/egress" + query, null), dev.bhatti.api.model.EgressEntry.class);
    }

    /** Replaces its egress policy, live (connections already open stay open). */
    public SandboxView network(dev.bhatti.api.model.NetworkPolicy policy) {
        return edit(SandboxEdit.none().withNetwork(policy));
    }

    /** Deletes one of its checkpoints (by id or name). */
    public void deleteCheckpoint(String checkpoint) {
        transport.json("DELETE", path() + "/checkpoints/" + Transport.encode(checkpoint), null);
    }

    /** Rolls it back to one of its checkpoints (by id or name): memory and disk; it ends running. */
    public SandboxView restore(String checkpoint) {
        return remember(transport.call("POST", path() + "/restore", new RestoreRequest(checkpoint),
                SandboxView.class));
    }

    /** Destroys the sandbox and its disk. */
    public void destroy() {
        transport.json("DELETE", path(), null);
    }
}

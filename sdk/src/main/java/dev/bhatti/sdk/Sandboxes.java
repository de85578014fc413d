package dev.bhatti.sdk;

import dev.bhatti.api.model.SandboxSpec;
import dev.bhatti.api.model.SandboxView;
import dev.bhatti.sdk.internal.Codec;
import dev.bhatti.sdk.internal.Http1;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The caller's sandboxes: create, list, look up by id or name. */
public final class Sandboxes {
    private final Transport transport;

    Sandboxes(Transport transport) {
        this.transport = transport;
    }

    /**
     * Creates a sandbox (and waits until it runs). When {@code spec} names an existing sandbox with
     * the same settings, that one is returned and {@link Sandbox#existing()} is true.
     */
    public Sandbox create(SandboxSpec spec) {
        try (Http1.Response r = transport.send("POST", "/sandboxes", spec, Map.of())) {
            boolean existing = r.header("X-Bhatti-Existing").isPresent();
            return new Sandbox(transport, Codec.value(transport.tree(r), SandboxView.class), existing);
        } catch (java.io.IOException e) {
            throw transport.failed(e);
        }
    }

    /** The caller's sandboxes, newest first. */
    public List<SandboxView> list() {
        return list(Map.of());
    }

    /** The caller's sandboxes with all of these labels. */
    public List<SandboxView> list(Map<String, String> labels) {
        String query = labels.entrySet().stream()
                .map(e -> "label=" + Transport.encode(e.getKey() + "=" + e.getValue()))
                .collect(Collectors.joining("&"));
        return Codec.list(transport.json("GET", "/sandboxes" + (query.isEmpty() ? "" : "?" + query), null),
                SandboxView.class);
    }

    /** The sandbox with this id or name, fetched now; {@link NotFoundException} when there is none. */
    public Sandbox get(String idOrName) {
        return new Sandbox(transport, transport.call("GET", Sandbox.path(idOrName), null, SandboxView.class), false);
    }

    /** A handle on the sandbox with this id or name, without a call (a missing one fails on first use). */
    public Sandbox named(String idOrName) {
        return new Sandbox(transport, idOrName);
    }
}

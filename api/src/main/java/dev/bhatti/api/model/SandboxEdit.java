package dev.bhatti.api.model;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code PATCH /sandboxes/:id}: only what is set changes; {@code network} replaces the
 * egress policy as a whole, live.
 */
public record SandboxEdit(Boolean keepHot, String name, Map<String, String> labelsAdd, List<String> labelsRemove,
                          NetworkPolicy network) {
    /** An edit that changes nothing yet. */
    public static SandboxEdit none() {
        return new SandboxEdit(null, null, null, null, null);
    }

    /** This edit, also renaming the sandbox. */
    public SandboxEdit withName(String value) {
        return new SandboxEdit(keepHot, value, labelsAdd, labelsRemove, network);
    }

    /** This edit, also setting keep-hot. */
    public SandboxEdit withKeepHot(Boolean value) {
        return new SandboxEdit(value, name, labelsAdd, labelsRemove, network);
    }

    /** This edit, also replacing the egress policy. */
    public SandboxEdit withNetwork(NetworkPolicy value) {
        return new SandboxEdit(keepHot, name, labelsAdd, labelsRemove, value);
    }
}

package dev.bhatti.server.sandbox;

import java.util.List;
import java.util.Map;

/** Body of {@code PATCH /sandboxes/:id}; {@code network} replaces the egress policy, live. */
public record PatchRequest(Boolean keepHot, String name, Map<String, String> labelsAdd, List<String> labelsRemove,
                           dev.bhatti.api.model.NetworkPolicy network) {
    public PatchRequest {
        labelsAdd = labelsAdd == null ? Map.of() : Map.copyOf(labelsAdd);
        labelsRemove = labelsRemove == null ? List.of() : List.copyOf(labelsRemove);
    }
}

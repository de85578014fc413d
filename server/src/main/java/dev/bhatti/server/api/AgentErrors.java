package dev.bhatti.server.api;

import dev.bhatti.client.AgentException;

/** Agent ERROR messages that mean "bad request" or "not found" for the caller (files, sessions). */
final class AgentErrors {
    private AgentErrors() {}

    static ApiException map(AgentException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains("no such file") || m.contains("session not found")) {
            return new ApiException.NotFound(m.contains("session") ? "session_not_found" : "file_not_found", m);
        }
        if (m.contains("is attached")) {
            return new ApiException.Conflict("session_attached", m);
        }
        // The agent prefixes failures it did not expect with "internal error: "; the caller sees
        // what the agent could not do, not an internal error under a 400.
        String reason = m.startsWith("internal error: ")
                ? "the sandbox's agent could not handle the request: " + m.substring("internal error: ".length()) : m;
        return new ApiException.Invalid("agent_refused", reason);
    }
}

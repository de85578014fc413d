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
        return new ApiException.Invalid("agent_refused", m);
    }
}

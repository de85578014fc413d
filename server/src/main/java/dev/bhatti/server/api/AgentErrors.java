package dev.bhatti.server.api;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.client.AgentException;
import dev.bhatti.proto.AgentErrorText;

/** The API error for an agent ERROR, by its {@link AgentException#kind() kind} (files, sessions). */
final class AgentErrors {
    private AgentErrors() {}

    static ApiException map(AgentException e) {
        String m = e.getMessage();
        return switch (e.kind()) {
            case NO_SUCH_FILE -> new ApiException(ErrorCode.FILE_NOT_FOUND, m);
            case SESSION_NOT_FOUND -> new ApiException(ErrorCode.SESSION_NOT_FOUND, m);
            case SESSION_ATTACHED -> new ApiException(ErrorCode.SESSION_ATTACHED, m);
            // the caller sees what the agent could not do, not an internal error under a 400
            case INTERNAL -> new ApiException(ErrorCode.AGENT_REFUSED,
                    "the sandbox's agent could not handle the request: " + AgentErrorText.INTERNAL.detail(m));
            case TIMEOUT -> new ApiException(ErrorCode.EXEC_TIMEOUT, m);
            case START, AUTH_REQUIRED, CONNECTION_LIMIT, NO_REQUEST, SESSION_LIMIT, OTHER ->
                    new ApiException(ErrorCode.AGENT_REFUSED, m);
        };
    }
}

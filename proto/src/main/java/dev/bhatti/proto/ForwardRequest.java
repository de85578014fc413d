package dev.bhatti.proto;

/** FWD_REQ payload: the guest TCP port to relay to. */
public record ForwardRequest(int port) {
    public ForwardRequest {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
        }
    }
}

package dev.bhatti.api;

/** A sandbox's status as the API shows it ({@code "status"} of a sandbox). */
public enum SandboxStatus implements WireName {
    /** Serving, or asleep (warm/cold) and woken by the next request. */
    RUNNING,
    /** Stopped by its user: cold, woken only by {@code POST /start}. */
    STOPPED,
    /** Its VM failed (VMM died, create interrupted); {@code POST /start} brings it back. */
    FAILED,
    /** An operation on it was interrupted by a daemon crash; {@code POST /start} with force settles it. */
    UNKNOWN,
    /** Destroyed; never shown by the API, kept in the store's history. */
    DESTROYED;

    /** The constant for a wire form; {@link IllegalArgumentException} for an unknown one. */
    public static SandboxStatus ofWire(String wire) {
        return WireName.parse(SandboxStatus.class, wire);
    }
}

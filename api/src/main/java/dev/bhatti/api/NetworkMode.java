package dev.bhatti.api;

/** How sandboxes are networked (daemon config {@code network.mode}). */
public enum NetworkMode implements WireName {
    /**
     * The default (decision 0023): a network namespace per sandbox with a TAP inside; the guest
     * reaches the outside world and nothing of the host, other sandboxes or private networks.
     */
    NETNS,
    /** QEMU user-mode networking: no host setup, NAT to the outside; the guest reaches the host's loopback. */
    USER,
    /** A TAP on a per-user bridge: a routable address per sandbox. */
    BRIDGE;

    /** The constant for a wire form; {@link IllegalArgumentException} for an unknown one. */
    public static NetworkMode ofWire(String wire) {
        return WireName.parse(NetworkMode.class, wire);
    }
}

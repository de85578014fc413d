package dev.bhatti.api;

/** How sandboxes are networked (daemon config {@code network.mode}). */
public enum NetworkMode implements WireName {
    /** QEMU user-mode networking: no host setup, NAT to the outside. */
    USER,
    /** A TAP on a per-user bridge: a routable address per sandbox. */
    BRIDGE;

    /** The constant for a wire form; {@link IllegalArgumentException} for an unknown one. */
    public static NetworkMode ofWire(String wire) {
        return WireName.parse(NetworkMode.class, wire);
    }
}

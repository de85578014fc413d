package dev.bhatti.api;

import java.util.Locale;

/** How sandboxes are networked (daemon config {@code network.mode}). */
public enum NetworkMode {
    /** QEMU user-mode networking: no host setup, NAT to the outside. */
    USER,
    /** A TAP on a per-user bridge: a routable address per sandbox. */
    BRIDGE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static NetworkMode ofWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}

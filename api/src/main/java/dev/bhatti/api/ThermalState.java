package dev.bhatti.api;

import java.util.Locale;

/** Where a sandbox's VM is ({@code "thermal"} of a sandbox). */
public enum ThermalState {
    /** vCPUs running. */
    HOT,
    /** vCPUs paused, memory resident; resumes in milliseconds. */
    WARM,
    /** Snapshot on disk, no VMM; restores in about a second. */
    COLD;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ThermalState ofWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}

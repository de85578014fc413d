package dev.bhatti.api;

/** Where a sandbox's VM is ({@code "thermal"} of a sandbox). */
public enum ThermalState implements WireName {
    /** vCPUs running. */
    HOT,
    /** vCPUs paused, memory resident; resumes in milliseconds. */
    WARM,
    /** Snapshot on disk, no VMM; restores in about a second. */
    COLD;

    /** The constant for a wire form; {@link IllegalArgumentException} for an unknown one. */
    public static ThermalState ofWire(String wire) {
        return WireName.parse(ThermalState.class, wire);
    }
}

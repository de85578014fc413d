package dev.bhatti.engine.qemu.qmp;

/** The QMP commands the engine sends, each with its wire name ({@code {"execute": name}}). */
public enum QmpCommand {
    /** Leaves capabilities negotiation; the first command after the greeting. */
    QMP_CAPABILITIES("qmp_capabilities"),
    /** Pauses the vCPUs. */
    STOP("stop"),
    /** Resumes the vCPUs. */
    CONT("cont"),
    /** Ends the VMM at once. */
    QUIT("quit"),
    /** {@code {"running": bool, "status": "running" | "paused" | "inmigrate" | ...}}. */
    QUERY_STATUS("query-status"),
    /** Writes device state to {@code uri} (a snapshot save). */
    MIGRATE("migrate"),
    /** Loads device state from {@code uri} into a VMM started with {@code -incoming defer}. */
    MIGRATE_INCOMING("migrate-incoming"),
    /** Sets migration capabilities ({@code x-ignore-shared}). */
    MIGRATE_SET_CAPABILITIES("migrate-set-capabilities"),
    /** The state of the current migration: {@code {"status": "completed" | "failed" | ...}}. */
    QUERY_MIGRATE("query-migrate"),
    /** Sets a drive's size ({@code device}, {@code size}); the guest is told its new capacity. */
    BLOCK_RESIZE("block_resize");

    private final String wire;

    QmpCommand(String wire) {
        this.wire = wire;
    }

    /** The name QEMU knows the command by. */
    public String wire() {
        return wire;
    }
}

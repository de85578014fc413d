package dev.bhatti.server.recovery;

/** Where recovery reports each decision; the daemon writes these to its store. */
public interface RecoverySink {

    /** The sandbox is registered cold with a complete snapshot; its stored status becomes {@code stopped}. */
    void restoredCold(String id);

    /** The sandbox cannot be brought back as it is; its stored status becomes {@code unknown}. */
    void markedUnknown(String id, String reason);

    /**
     * The sandbox's create was interrupted: its stored status becomes {@code failed} and what it
     * left behind (directory, volume attachments) is removed.
     */
    void createInterrupted(String id, String reason);
}

package dev.bhatti.agent.posix;

/** How {@link FdAction.Open} opens a file in the child. Created files get mode 0644. */
public enum OpenMode {
    /** {@code O_RDONLY}. */
    READ(Libc.O_RDONLY),
    /** {@code O_WRONLY|O_CREAT|O_TRUNC}. */
    WRITE_TRUNCATE(Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC),
    /** {@code O_WRONLY|O_CREAT|O_APPEND}. */
    APPEND(Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND),
    /**
     * {@code O_RDWR}. Without {@code O_NOCTTY}, so opening a terminal in a new session makes it
     * the controlling terminal.
     */
    READ_WRITE(Libc.O_RDWR);

    /** Permission bits for files the open creates, before the umask. */
    static final int CREATE_MODE = 0644;

    private final int flags;

    OpenMode(int flags) {
        this.flags = flags;
    }

    /** The {@code open(2)} flags. */
    int flags() {
        return flags;
    }
}

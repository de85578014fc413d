package dev.bhatti.agent.posix;

import java.io.IOException;

/**
 * A failed libc call. The message is {@code "<operation>: <strerror text, lowercased>"}, for
 * example {@code "posix_spawn /nope: no such file or directory"}; {@link #errno()} is the raw
 * error number.
 */
public final class PosixException extends IOException {
    private final int errno;

    PosixException(String operation, int errno) {
        super(operation + ": " + Libc.strerror(errno));
        this.errno = errno;
    }

    /** The {@code errno} value the failed call reported. */
    public int errno() {
        return errno;
    }
}

package dev.bhatti.agent.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

/**
 * Both ends of an anonymous pipe, each close-on-exec. After handing an end to a child (with
 * {@link FdAction.Dup}) the parent closes its own copy, so that end-of-file can be observed.
 */
public record Pipe(Fd readEnd, Fd writeEnd) implements AutoCloseable {
    private static final MethodHandle PIPE2 = Libc.withErrno("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    public Pipe {
        Objects.requireNonNull(readEnd, "readEnd");
        Objects.requireNonNull(writeEnd, "writeEnd");
    }

    /** Creates a pipe with {@code pipe2(O_CLOEXEC)}. */
    public static Pipe open() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            int rc = (int) PIPE2.invokeExact(slot, fds, Libc.O_CLOEXEC);
            if (rc != 0) {
                throw new PosixException("pipe2", Libc.errno(slot));
            }
            return new Pipe(new Fd(fds.getAtIndex(JAVA_INT, 0)), new Fd(fds.getAtIndex(JAVA_INT, 1)));
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        }
    }

    /** Closes whichever ends are still open. Idempotent. */
    @Override
    public void close() {
        try {
            readEnd.close();
        } finally {
            writeEnd.close();
        }
    }
}

package dev.bhatti.agent.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * A pseudo-terminal pair: the agent holds the master; a child opens {@link #slavePath()}
 * itself (see {@link FdAction.Open}), which after {@code setsid} makes it the child's
 * controlling terminal. The agent never opens the slave, so reading the master returns -1 once
 * every child holding the slave has exited.
 */
public final class Pty implements AutoCloseable {
    private static final long TIOCSWINSZ = 0x5414;
    private static final int PATH_BUFFER = 128;
    private static final int MAX_DIMENSION = 0xFFFF;

    private static final MethodHandle POSIX_OPENPT = Libc.withErrno("posix_openpt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GRANTPT = Libc.withErrno("grantpt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle UNLOCKPT = Libc.withErrno("unlockpt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle PTSNAME_R = Libc.plain("ptsname_r",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle IOCTL = Libc.withErrno("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));

    private final Fd master;
    private final Path slavePath;

    private Pty(Fd master, Path slavePath) {
        this.master = master;
        this.slavePath = slavePath;
    }

    /**
     * Opens a master with {@code posix_openpt(O_RDWR|O_NOCTTY|O_CLOEXEC)}, unlocks its slave and
     * sets the window size.
     *
     * @param rows 1 to 65535
     * @param cols 1 to 65535
     */
    public static Pty open(int rows, int cols) throws IOException {
        checkSize(rows, cols);
        Fd master = openMaster();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            check((int) GRANTPT.invokeExact(slot, master.value()), slot, "grantpt");
            check((int) UNLOCKPT.invokeExact(slot, master.value()), slot, "unlockpt");
            MemorySegment name = arena.allocate(PATH_BUFFER);
            int rc = (int) PTSNAME_R.invokeExact(master.value(), name, (long) PATH_BUFFER);
            if (rc != 0) {
                throw new PosixException("ptsname_r", rc);
            }
            Pty pty = new Pty(master, Path.of(name.getString(0)));
            pty.resize(rows, cols);
            return pty;
        } catch (Throwable t) {
            closeAfterFailure(master, t);
            throw Libc.rethrowIo(t);
        }
    }

    /** The master side, owned by this {@code Pty}. */
    public Fd master() {
        return master;
    }

    /** The slave device, e.g. {@code /dev/pts/3}. */
    public Path slavePath() {
        return slavePath;
    }

    /**
     * Sets the window size with {@code ioctl(master, TIOCSWINSZ)}; the kernel then sends
     * {@code SIGWINCH} to the terminal's foreground process group.
     *
     * @param rows 1 to 65535
     * @param cols 1 to 65535
     */
    public void resize(int rows, int cols) throws IOException {
        checkSize(rows, cols);
        int fd = master.acquire("ioctl TIOCSWINSZ");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            MemorySegment winsize = arena.allocate(8, 2); // unsigned short row, col, xpixel, ypixel
            winsize.set(JAVA_SHORT, 0, (short) rows);
            winsize.set(JAVA_SHORT, 2, (short) cols);
            check((int) IOCTL.invokeExact(slot, fd, TIOCSWINSZ, winsize), slot, "ioctl TIOCSWINSZ");
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        } finally {
            master.release();
        }
    }

    /** Closes the master. Idempotent. */
    @Override
    public void close() {
        master.close();
    }

    @Override
    public String toString() {
        return "Pty[" + master + ", " + slavePath + "]";
    }

    private static Fd openMaster() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            int fd = (int) POSIX_OPENPT.invokeExact(slot, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC);
            check(fd, slot, "posix_openpt");
            return new Fd(fd);
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        }
    }

    private static void check(int rc, MemorySegment slot, String operation) throws PosixException {
        if (rc < 0) {
            throw new PosixException(operation, Libc.errno(slot));
        }
    }

    private static void checkSize(int rows, int cols) {
        if (rows < 1 || rows > MAX_DIMENSION || cols < 1 || cols > MAX_DIMENSION) {
            throw new IllegalArgumentException("window size out of range: " + rows + "x" + cols);
        }
    }

    private static void closeAfterFailure(Fd master, Throwable failure) {
        try {
            master.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}

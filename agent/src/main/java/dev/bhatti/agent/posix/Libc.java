package dev.bhatti.agent.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * Shared machinery for libc downcalls: symbol lookup, {@code errno} capture, {@code strerror}
 * and the Linux/glibc x86_64 constants used across the package. Holds only immutable constants.
 */
final class Libc {
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int ESRCH = 3;
    static final int EBADF = 9;
    static final int ECHILD = 10;
    static final int EINVAL = 22;
    static final int EPIPE = 32;

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_CREAT = 0100;
    static final int O_NOCTTY = 0400;
    static final int O_TRUNC = 01000;
    static final int O_APPEND = 02000;
    static final int O_CLOEXEC = 02000000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final int STRERROR_BUFFER = 256;
    private static final MethodHandle STRERROR_R = // GNU variant: returns the message pointer
            plain("strerror_r", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG));

    private Libc() {}

    /** A downcall handle for a libc function whose failures are reported by its return value. */
    @SuppressWarnings("restricted") // this class is the package's one door to native code
    static MethodHandle plain(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(symbol(name), descriptor, options);
    }

    /**
     * A downcall handle for a libc function that reports failures through {@code errno}. The
     * handle takes an extra leading {@link MemorySegment} from {@link #errnoSlot(Arena)}.
     */
    @SuppressWarnings("restricted")
    static MethodHandle withErrno(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(symbol(name), descriptor, options);
    }

    /** Allocates the segment that a {@link #withErrno} handle writes {@code errno} into. */
    static MemorySegment errnoSlot(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    /** The {@code errno} captured by the last call that used {@code slot}. */
    static int errno(MemorySegment slot) {
        return (int) ERRNO.get(slot, 0L);
    }

    /** The lowercased {@code strerror} text of {@code errno}, e.g. "no such file or directory". */
    @SuppressWarnings("restricted") // the message is a NUL-terminated string glibc guarantees
    static String strerror(int errno) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(STRERROR_BUFFER);
            MemorySegment text = (MemorySegment) STRERROR_R.invokeExact(errno, buffer, (long) STRERROR_BUFFER);
            return text.reinterpret(STRERROR_BUFFER * 16L).getString(0).toLowerCase(Locale.ROOT);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Propagates a throwable caught around {@code invokeExact}: errors and runtime exceptions
     * unchanged, anything else (never expected from a downcall) wrapped.
     */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof RuntimeException r) {
            return r;
        }
        return new IllegalStateException("unexpected exception from a native call", t);
    }

    /**
     * Like {@link #rethrow} but passes {@link IOException}s through as the return value, for
     * {@code throw Libc.rethrowIo(t)} in methods that declare {@code IOException}.
     */
    static IOException rethrowIo(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        throw rethrow(t);
    }

    private static MemorySegment symbol(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }
}

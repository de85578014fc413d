package dev.bhatti.agent.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** libc calls only tests need: making the calling thread's signal state non-default. */
final class TestLibc {
    static final int SIG_BLOCK = 0;
    static final int SIG_SETMASK = 2;
    static final int SIGPWR = 30;
    static final long SIGSET_SIZE = 128;
    /** {@code sizeof(struct sigaction)} on glibc x86_64; sa_handler is at offset 0. */
    static final long SIGACTION_SIZE = 152;
    static final long SIG_IGN = 1;

    private static final MethodHandle DUP = Libc.plain("dup", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle PTHREAD_SIGMASK = Libc.plain("pthread_sigmask",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SIGACTION = Libc.plain("sigaction",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SIGEMPTYSET = Libc.plain("sigemptyset",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SIGADDSET = Libc.plain("sigaddset",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    private TestLibc() {}

    /** {@code dup(fd)}: a copy WITHOUT close-on-exec, wrapped so the test closes it. */
    static Fd dupInheritable(Fd fd) throws Throwable {
        int copy = (int) DUP.invokeExact(fd.value());
        if (copy < 0) {
            throw new IllegalStateException("dup failed");
        }
        return new Fd(copy);
    }

    /** Blocks {@code signals} on the calling thread; returns the previous mask to restore. */
    static MemorySegment block(Arena arena, int... signals) throws Throwable {
        MemorySegment set = arena.allocate(SIGSET_SIZE, 8);
        check((int) SIGEMPTYSET.invokeExact(set), "sigemptyset");
        for (int signal : signals) {
            check((int) SIGADDSET.invokeExact(set, signal), "sigaddset");
        }
        MemorySegment previous = arena.allocate(SIGSET_SIZE, 8);
        check((int) PTHREAD_SIGMASK.invokeExact(SIG_BLOCK, set, previous), "pthread_sigmask");
        return previous;
    }

    static void restoreMask(MemorySegment previous) throws Throwable {
        check((int) PTHREAD_SIGMASK.invokeExact(SIG_SETMASK, previous, MemorySegment.NULL), "pthread_sigmask");
    }

    /** Sets {@code signal} to SIG_IGN process-wide; returns the previous action to restore. */
    static MemorySegment ignore(Arena arena, int signal) throws Throwable {
        MemorySegment previous = arena.allocate(SIGACTION_SIZE, 8);
        check((int) SIGACTION.invokeExact(signal, MemorySegment.NULL, previous), "sigaction");
        MemorySegment ignoring = arena.allocate(SIGACTION_SIZE, 8);
        ignoring.copyFrom(previous);
        ignoring.set(JAVA_LONG, 0, SIG_IGN);
        check((int) SIGACTION.invokeExact(signal, ignoring, MemorySegment.NULL), "sigaction");
        return previous;
    }

    static void restoreAction(int signal, MemorySegment previous) throws Throwable {
        check((int) SIGACTION.invokeExact(signal, previous, MemorySegment.NULL), "sigaction");
    }

    private static void check(int rc, String call) {
        if (rc != 0) {
            throw new IllegalStateException(call + " failed: " + rc);
        }
    }
}

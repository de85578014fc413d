package dev.bhatti.agent.posix;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/** Miscellaneous libc calls that cannot fail. */
public final class Posix {
    private static final MethodHandle SYNC = Libc.plain("sync", FunctionDescriptor.ofVoid());
    private static final MethodHandle GETEUID = Libc.plain("geteuid", FunctionDescriptor.of(JAVA_INT));

    private Posix() {}

    /** {@code sync(2)}: schedules every dirty buffer for writing; blocks until done on Linux. */
    public static void sync() {
        try {
            SYNC.invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code geteuid(2)}: the agent's effective user id. */
    public static int effectiveUid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}

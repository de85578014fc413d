package dev.bhatti.agent.posix;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Runs one step with the calling thread's user and group ids switched, and switches them back.
 *
 * <p>Linux keeps credentials per thread; glibc's {@code setuid} family broadcasts a change to every
 * thread of the process, but the raw system calls change only the caller. A child cloned by
 * {@code posix_spawn} starts with its parent thread's credentials, so spawning inside {@link #as}
 * starts the child as {@code ids} directly, without a helper that changes user and execs again
 * (an exec costs milliseconds under TCG). The saved user id stays 0 while switched, which is what
 * lets the thread become root again; {@code execve} then sets the child's saved id to its effective
 * one, and with no root id left the child's capabilities are cleared (capabilities(7)).
 *
 * <p>Only a root process can switch. The rest of the JVM keeps running as root throughout.
 */
public final class ThreadCredentials {
    private static final MethodHandle SYSCALL = Libc.withErrno("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final Numbers NR = Numbers.forArch(System.getProperty("os.arch"));

    private ThreadCredentials() {}

    /** The user and group a child runs as; its only supplementary group is {@code gid}. */
    public record Ids(int uid, int gid) {
        public Ids {
            if (uid < 0 || gid < 0) {
                throw new IllegalArgumentException("uid and gid must be >= 0, got " + uid + ":" + gid);
            }
        }
    }

    /** A step run under other credentials. */
    @FunctionalInterface
    public interface Step<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code step} on this thread as {@code ids}, then restores root (uid, gid 0 and no
     * supplementary groups, what lohar runs with).
     *
     * @throws PosixException when the switch is refused (the agent is not root)
     */
    public static <T> T as(Ids ids, Step<T> step) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            MemorySegment group = arena.allocate(JAVA_INT);
            group.set(JAVA_INT, 0, ids.gid());
            call(errno, NR.setgroups(), 1, group.address(), "setgroups", ids.gid());
            try {
                call(errno, NR.setresgid(), ids.gid(), ids.gid(), "setresgid", ids.gid());
                try {
                    call(errno, NR.setresuid(), ids.uid(), ids.uid(), "setresuid", ids.uid());
                    try {
                        return step.run();
                    } finally {
                        restore(errno, NR.setresuid(), "setresuid");
                    }
                } finally {
                    restore(errno, NR.setresgid(), "setresgid");
                }
            } finally {
                restore(errno, NR.setgroups(), "setgroups");
            }
        }
    }

    /**
     * Back to root: ids 0 (saved id 0 allows it), or no supplementary groups. A thread that cannot
     * become root again would run later work as the user: never go on.
     */
    private static void restore(MemorySegment errno, long number, String name) {
        try {
            call(errno, number, 0, 0, name, 0);
        } catch (PosixException e) {
            throw new IllegalStateException("could not restore the thread's credentials: " + e.getMessage(), e);
        }
    }

    /** {@code syscall(number, a, b, 0)}; the message (name and id) is made only on a failure. */
    private static void call(MemorySegment errno, long number, long a, long b, String name, int id)
            throws PosixException {
        long rc;
        try {
            rc = (long) SYSCALL.invokeExact(errno, number, a, b, 0L);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (rc != 0) {
            throw new PosixException(name + " " + id, Libc.errno(errno));
        }
    }

    /** System call numbers, which differ per architecture. */
    private record Numbers(long setgroups, long setresuid, long setresgid) {
        static Numbers forArch(String arch) {
            return switch (arch) {
                case "amd64", "x86_64" -> new Numbers(116, 117, 119);
                case "aarch64", "arm64" -> new Numbers(159, 147, 149);
                default -> throw new IllegalStateException("no system call numbers for " + arch);
            };
        }
    }
}

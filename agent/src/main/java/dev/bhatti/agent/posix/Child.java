package dev.bhatti.agent.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A child process started by {@link Spawner}. It leads its own process group (or session), so
 * {@link #signalGroup} also reaches its descendants that stayed in the group.
 *
 * <p>Thread safety: all methods may be called concurrently. {@link #waitFor()} waits without
 * reaping first and reaps under a lock that {@link #signal} also takes, so {@link #signal} never
 * reaches a process that merely reused the pid.
 *
 * <p>{@link #waitFor()} is a blocking FFM downcall that pins its carrier thread; call it from a
 * platform thread.
 */
public final class Child {
    private static final int P_PID = 1;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = 0x0100_0000;
    private static final int WNOHANG = 1;
    private static final long SI_PID_OFFSET = 16;
    private static final long SIGINFO_SIZE = 128;
    private static final int NOT_REAPED = -1;

    private static final MethodHandle WAITID = Libc.withErrno("waitid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle WAITPID = Libc.withErrno("waitpid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle KILL = Libc.withErrno("kill",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private final int pid;
    private final ReentrantLock reapLock = new ReentrantLock();
    private volatile int exitCode = NOT_REAPED;

    Child(int pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("not a child pid: " + pid);
        }
        this.pid = pid;
    }

    /** The child's process id, which is also its process group id. */
    public int pid() {
        return pid;
    }

    /**
     * Blocks until the child terminates, reaps it and returns its exit code: the exit status, or
     * 128+N when signal N killed it (137 for {@code SIGKILL}). Later and concurrent calls return
     * the same code. {@code EINTR} is retried.
     *
     * @throws PosixException if the child cannot be waited for, e.g. {@code ECHILD} when
     *     something else reaped it
     */
    public int waitFor() throws IOException {
        int code = exitCode;
        if (code != NOT_REAPED) {
            return code;
        }
        awaitTermination();
        return reap();
    }

    /** The exit code once {@link #waitFor()} has returned; empty before. */
    public OptionalInt exitCode() {
        int code = exitCode;
        return code == NOT_REAPED ? OptionalInt.empty() : OptionalInt.of(code);
    }

    /**
     * Sends {@code signal} to the child with {@code kill(pid, signal)}. A child that has
     * already exited ({@code ESRCH}) or been reaped is not an error: nothing is sent.
     *
     * @throws PosixException on any other failure, e.g. {@code EINVAL} for a bad signal number
     */
    public void signal(int signal) throws IOException {
        reapLock.lock();
        try {
            if (exitCode == NOT_REAPED) {
                kill(pid, signal);
            }
        } finally {
            reapLock.unlock();
        }
    }

    /**
     * Sends {@code signal} to the child's whole process group with {@code kill(-pid, signal)}.
     * Works after the child was reaped too, reaching descendants left in the group (the kernel
     * does not reuse a group id while any member lives). A group with no members left
     * ({@code ESRCH}) is not an error.
     *
     * @throws PosixException on any other failure, e.g. {@code EINVAL} for a bad signal number
     */
    public void signalGroup(int signal) throws IOException {
        kill(-pid, signal);
    }

    @Override
    public String toString() {
        int code = exitCode;
        return "Child[pid=" + pid + (code == NOT_REAPED ? "]" : ", exit=" + code + "]");
    }

    /**
     * Converts a {@code waitpid} status into an exit code.
     *
     * @throws IllegalStateException for a stopped/continued status, which waiting without
     *     {@code WUNTRACED}/{@code WCONTINUED} never yields
     */
    static int exitCodeOf(int status) {
        int signal = status & 0x7f;
        if (signal == 0) {
            return (status >>> 8) & 0xff;
        }
        if (signal != 0x7f) {
            return 128 + signal;
        }
        throw new IllegalStateException("not a termination status: 0x" + Integer.toHexString(status));
    }

    /**
     * Without blocking: the exit code when the child has terminated (reaping it), empty while it
     * runs. Like {@link #waitFor()}, a native call; call it from a platform thread.
     */
    public OptionalInt poll() throws IOException {
        if (exitCode != NOT_REAPED) {
            return OptionalInt.of(exitCode);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            MemorySegment info = arena.allocate(SIGINFO_SIZE, 8); // zeroed: si_pid stays 0 while running
            while ((int) WAITID.invokeExact(slot, P_PID, pid, info, WEXITED | WNOWAIT | WNOHANG) != 0) {
                int errno = Libc.errno(slot);
                if (errno == Libc.ECHILD) {
                    return OptionalInt.of(reap());
                }
                if (errno != Libc.EINTR) {
                    throw new PosixException("waitid " + pid, errno);
                }
            }
            return info.get(JAVA_INT, SI_PID_OFFSET) == 0 ? OptionalInt.empty() : OptionalInt.of(reap());
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        }
    }

    /** Blocks in {@code waitid(WEXITED|WNOWAIT)} until the child is a zombie; does not reap it. */
    private void awaitTermination() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            MemorySegment info = arena.allocate(SIGINFO_SIZE, 8);
            while ((int) WAITID.invokeExact(slot, P_PID, pid, info, WEXITED | WNOWAIT) != 0) {
                int errno = Libc.errno(slot);
                if (errno == Libc.ECHILD) {
                    return; // reaped concurrently, or not ours: reap() tells which
                }
                if (errno != Libc.EINTR) {
                    throw new PosixException("waitid " + pid, errno);
                }
            }
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        }
    }

    private int reap() throws IOException {
        reapLock.lock();
        try (Arena arena = Arena.ofConfined()) {
            if (exitCode != NOT_REAPED) {
                return exitCode;
            }
            MemorySegment slot = Libc.errnoSlot(arena);
            MemorySegment status = arena.allocate(JAVA_INT);
            while ((int) WAITPID.invokeExact(slot, pid, status, 0) != pid) {
                if (Libc.errno(slot) != Libc.EINTR) {
                    throw new PosixException("waitpid " + pid, Libc.errno(slot));
                }
            }
            exitCode = exitCodeOf(status.get(JAVA_INT, 0));
            return exitCode;
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        } finally {
            reapLock.unlock();
        }
    }

    private static void kill(int target, int signal) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            int rc = (int) KILL.invokeExact(slot, target, signal);
            if (rc != 0 && Libc.errno(slot) != Libc.ESRCH) {
                throw new PosixException("kill " + target + " " + signal, Libc.errno(slot));
            }
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        }
    }
}

package dev.bhatti.agent.posix;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.time.Duration;

/** {@code poll(2)} over several descriptors at once, so one thread can serve a child's stdout and stderr. */
public final class Poller {
    private static final short POLLIN = 0x001;
    private static final short POLLNVAL = 0x020;
    private static final long POLLFD_SIZE = 8;
    private static final MethodHandle POLL = Libc.withErrno("poll",
            FunctionDescriptor.of(JAVA_INT, java.lang.foreign.ValueLayout.ADDRESS, JAVA_LONG, JAVA_INT));

    private Poller() {}

    /**
     * Waits until at least one descriptor is readable (data, end of file or hang-up) or the timeout
     * passes. Answers a bit mask: bit {@code i} set when {@code fds[i]} is ready; 0 on timeout.
     * At most 31 descriptors. Blocks its carrier: call from a platform thread.
     */
    public static int awaitReadable(Duration timeout, Fd... fds) throws IOException {
        if (fds.length == 0 || fds.length > 31) {
            throw new IllegalArgumentException("poll needs 1 to 31 descriptors, got " + fds.length);
        }
        int acquired = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(POLLFD_SIZE * fds.length, 4);
            for (; acquired < fds.length; acquired++) {
                set.set(JAVA_INT, POLLFD_SIZE * acquired, fds[acquired].acquire("poll"));
                set.set(JAVA_SHORT, POLLFD_SIZE * acquired + 4, POLLIN);
            }
            return poll(arena, set, fds.length, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        } finally {
            for (int i = 0; i < acquired; i++) {
                fds[i].release();
            }
        }
    }

    private static int poll(Arena arena, MemorySegment set, int count, int millis) throws Throwable {
        MemorySegment slot = Libc.errnoSlot(arena);
        int ready;
        while ((ready = (int) POLL.invokeExact(slot, set, (long) count, millis)) < 0) {
            if (Libc.errno(slot) != Libc.EINTR) {
                throw new PosixException("poll", Libc.errno(slot));
            }
        }
        int mask = 0;
        for (int i = 0; ready > 0 && i < count; i++) {
            short revents = set.get(JAVA_SHORT, POLLFD_SIZE * i + 6);
            if ((revents & POLLNVAL) != 0) {
                throw new PosixException("poll", Libc.EBADF);
            }
            if (revents != 0) {
                mask |= 1 << i;
            }
        }
        return mask;
    }
}

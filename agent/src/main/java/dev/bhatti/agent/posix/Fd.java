package dev.bhatti.agent.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An owned file descriptor. Descriptors created by this package are close-on-exec.
 *
 * <p>Thread safety: every method may be called from any thread. An operation in flight keeps
 * the descriptor number reserved: {@link #close()} marks the {@code Fd} closed at once (new
 * operations fail with {@code EBADF}) but the underlying {@code close(2)} runs when the last
 * in-flight operation returns, so a descriptor number is never reused under a running call.
 * Closing therefore does not interrupt a blocked {@link #read}.
 *
 * <p>Every call is a blocking FFM downcall that pins its carrier thread; call the blocking
 * methods ({@link #read}, {@link #write}, {@link #awaitReadable}) from platform threads.
 */
public final class Fd implements AutoCloseable {
    private static final int CLOSED = 0x8000_0000;
    private static final int MAX_CHUNK = 64 * 1024;
    private static final short POLLIN = 0x001;
    private static final short POLLNVAL = 0x020;
    private static final Duration MAX_WAIT = Duration.ofNanos(Long.MAX_VALUE / 4);

    private static final MethodHandle READ = Libc.withErrno("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = Libc.withErrno("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle POLL = Libc.withErrno("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = Libc.withErrno("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final int value;
    /** {@link #CLOSED} bit plus the number of operations in flight. */
    private final AtomicInteger state = new AtomicInteger();

    Fd(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative file descriptor: " + value);
        }
        this.value = value;
    }

    /** The descriptor number; stays the same after {@link #close()} (but is then meaningless). */
    public int value() {
        return value;
    }

    /**
     * Blocking {@code read(2)} of up to {@code len} bytes into {@code buf[off..]}, retrying
     * {@code EINTR}.
     *
     * @return the number of bytes read (0 only when {@code len} is 0), or -1 at end of file.
     *     {@code EIO} also counts as end of file: a PTY master reports it once the slave side is
     *     gone.
     * @throws PosixException on any other error, including {@code EBADF} after {@link #close()}
     */
    public int read(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len == 0) {
            return 0;
        }
        acquire("read");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            MemorySegment data = arena.allocate(Math.min(len, MAX_CHUNK));
            while (true) {
                long n = (long) READ.invokeExact(slot, value, data, data.byteSize());
                if (n > 0) {
                    MemorySegment.copy(data, JAVA_BYTE, 0, buf, off, (int) n);
                    return (int) n;
                }
                int errno = n == 0 ? 0 : Libc.errno(slot);
                if (errno == 0 || errno == Libc.EIO) {
                    return -1;
                }
                if (errno != Libc.EINTR) {
                    throw new PosixException("read", errno);
                }
            }
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        } finally {
            release();
        }
    }

    /**
     * Writes all {@code len} bytes of {@code buf[off..]}, looping over short writes and retrying
     * {@code EINTR}.
     *
     * @throws PosixException on failure, e.g. {@code EPIPE} when no reader is left
     */
    public void write(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        acquire("write");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            MemorySegment data = arena.allocate(Math.max(1, Math.min(len, MAX_CHUNK)));
            for (int done = 0; done < len; ) {
                int chunk = Math.min(len - done, MAX_CHUNK);
                MemorySegment.copy(buf, off + done, data, JAVA_BYTE, 0, chunk);
                writeFully(slot, data, chunk);
                done += chunk;
            }
        } finally {
            release();
        }
    }

    /**
     * Waits with {@code poll(2)} until a {@link #read} would not block.
     *
     * @param timeout non-negative; {@link Duration#ZERO} checks without waiting
     * @return true when data, end of file or a hang-up is ready; false when the timeout passed
     */
    public boolean awaitReadable(Duration timeout) throws IOException {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout: " + timeout);
        }
        long deadline = System.nanoTime() + (timeout.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : timeout).toNanos();
        acquire("poll");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            MemorySegment pollfd = arena.allocate(8, 4); // struct pollfd { int fd; short events, revents; }
            pollfd.set(JAVA_INT, 0, value);
            pollfd.set(JAVA_SHORT, 4, POLLIN);
            while (true) {
                int ready = (int) POLL.invokeExact(slot, pollfd, 1L, timeoutMillis(deadline));
                if (ready > 0) {
                    return revents(pollfd);
                }
                if (ready == 0) {
                    return false;
                }
                if (Libc.errno(slot) != Libc.EINTR) {
                    throw new PosixException("poll", Libc.errno(slot));
                }
            }
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        } finally {
            release();
        }
    }

    /** False once {@link #close()} has been called. */
    public boolean isOpen() {
        return (state.get() & CLOSED) == 0;
    }

    /**
     * Closes the descriptor. Idempotent and thread-safe; see the class documentation for how it
     * interacts with operations in flight.
     *
     * @throws UncheckedIOException if {@code close(2)} fails with anything but {@code EINTR}
     *     (after which Linux has released the descriptor anyway)
     */
    @Override
    public void close() {
        while (true) {
            int current = state.get();
            if ((current & CLOSED) != 0) {
                return;
            }
            if (state.compareAndSet(current, current | CLOSED)) {
                if (current == 0) {
                    closeNow();
                }
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "Fd[" + value + (isOpen() ? "]" : ", closed]");
    }

    /**
     * Reserves the descriptor for one operation; pair with {@link #release()} in a finally block.
     *
     * @throws PosixException {@code EBADF} naming {@code operation} when already closed
     */
    int acquire(String operation) throws PosixException {
        while (true) {
            int current = state.get();
            if ((current & CLOSED) != 0) {
                throw new PosixException(operation, Libc.EBADF);
            }
            if (state.compareAndSet(current, current + 1)) {
                return value;
            }
        }
    }

    /** Ends an operation started by {@link #acquire}; runs a deferred close if it was the last. */
    void release() {
        if (state.decrementAndGet() == CLOSED) {
            closeNow();
        }
    }

    private void writeFully(MemorySegment slot, MemorySegment data, int length) throws IOException {
        try {
            for (long written = 0; written < length; ) {
                long n = (long) WRITE.invokeExact(slot, value, data.asSlice(written), length - written);
                if (n >= 0) {
                    written += n;
                } else if (Libc.errno(slot) != Libc.EINTR) {
                    throw new PosixException("write", Libc.errno(slot));
                }
            }
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        }
    }

    private void closeNow() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            int rc = (int) CLOSE.invokeExact(slot, value);
            if (rc != 0 && Libc.errno(slot) != Libc.EINTR) {
                throw new UncheckedIOException(new PosixException("close " + value, Libc.errno(slot)));
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private static boolean revents(MemorySegment pollfd) throws PosixException {
        short revents = pollfd.get(JAVA_SHORT, 6);
        if ((revents & POLLNVAL) != 0) {
            throw new PosixException("poll", Libc.EBADF);
        }
        return true; // POLLIN, POLLHUP or POLLERR: a read returns without blocking
    }

    private static int timeoutMillis(long deadline) {
        long remaining = Math.max(0, deadline - System.nanoTime());
        return (int) Math.min(Integer.MAX_VALUE, (remaining + 999_999) / 1_000_000);
    }
}

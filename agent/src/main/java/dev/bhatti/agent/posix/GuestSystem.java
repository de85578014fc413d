package dev.bhatti.agent.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * System calls only the guest agent makes, as root inside the VM: mount, umount, syncfs,
 * sethostname, clock, entropy, power off.
 */
public final class GuestSystem {
    /** {@code MS_RDONLY}. */
    public static final long READ_ONLY = 1;
    private static final int MNT_DETACH = 2;
    private static final int RB_POWER_OFF = 0x4321fedc;

    /** {@code O_RDONLY | O_DIRECTORY | O_CLOEXEC}. */
    private static final int OPEN_DIRECTORY = 0x10000 | 0x80000;
    private static final int CLOCK_REALTIME = 0;

    // Each downcall handle costs ~0.15 s to make under TCG, so each group is made on first use
    // (holder classes): a guest's boot makes only the mount and hostname handles (decision 0025).

    private static final class Mounts {
        static final MethodHandle MOUNT = Libc.withErrno("mount",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        static final MethodHandle UMOUNT2 = Libc.withErrno("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Descriptors {
        static final MethodHandle OPEN = Libc.withErrno("open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), java.lang.foreign.Linker.Option.firstVariadicArg(2));
        static final MethodHandle CLOSE = Libc.withErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle SYNCFS = Libc.withErrno("syncfs", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle IOCTL = Libc.withErrno("ioctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), java.lang.foreign.Linker.Option.firstVariadicArg(2));
    }

    private static final class Hostname {
        static final MethodHandle SETHOSTNAME = Libc.withErrno("sethostname", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private static final class Clock {
        static final MethodHandle CLOCK_SETTIME = Libc.withErrno("clock_settime", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }

    private static final class Power {
        static final MethodHandle REBOOT = Libc.withErrno("reboot", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    /** {@code _IOW('R', 0x03, int[2])}: add bytes to the input pool and credit them. */
    private static final long RNDADDENTROPY = 0x40085203L;
    /** {@code _IO('R', 0x07)}: reseed the CRNG from the input pool now. */
    private static final long RNDRESEEDCRNG = 0x5207L;

    private GuestSystem() {}

    /** {@code mount(2)}; {@code data} may be null. */
    public static void mount(String source, String target, String fsType, long flags, String data) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            MemorySegment opts = data == null ? MemorySegment.NULL : arena.allocateFrom(data);
            int rc = (int) Mounts.MOUNT.invokeExact(slot, arena.allocateFrom(source), arena.allocateFrom(target),
                    arena.allocateFrom(fsType), flags, opts);
            if (rc != 0) {
                throw new PosixException("mount " + fsType + " " + source + " on " + target, Libc.errno(slot));
            }
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        }
    }

    /** Lazy {@code umount2(target, MNT_DETACH)}. */
    public static void unmount(String target) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            int rc = (int) Mounts.UMOUNT2.invokeExact(slot, arena.allocateFrom(target), MNT_DETACH);
            if (rc != 0) {
                throw new PosixException("umount " + target, Libc.errno(slot));
            }
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        }
    }

    /** {@code syncfs(2)} of the filesystem mounted at {@code mountPoint}: writes it out and flushes its disk. */
    public static void syncFilesystem(String mountPoint) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            int fd = (int) Descriptors.OPEN.invokeExact(slot, arena.allocateFrom(mountPoint), OPEN_DIRECTORY, 0);
            if (fd < 0) {
                throw new PosixException("open " + mountPoint, Libc.errno(slot));
            }
            try {
                if ((int) Descriptors.SYNCFS.invokeExact(slot, fd) != 0) {
                    throw new PosixException("syncfs " + mountPoint, Libc.errno(slot));
                }
            } finally {
                int ignored = (int) Descriptors.CLOSE.invokeExact(slot, fd);
            }
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        }
    }

    public static void setHostname(String name) throws IOException {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            MemorySegment buf = arena.allocate(bytes.length);
            buf.copyFrom(MemorySegment.ofArray(bytes));
            int rc = (int) Hostname.SETHOSTNAME.invokeExact(slot, buf, (long) bytes.length);
            if (rc != 0) {
                throw new PosixException("sethostname " + name, Libc.errno(slot));
            }
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        }
    }

    /** Sets the wall clock ({@code clock_settime(CLOCK_REALTIME)}) to {@code epochNanos}. */
    public static void setClock(long epochNanos) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            MemorySegment timespec = arena.allocate(JAVA_LONG, 2);
            timespec.setAtIndex(JAVA_LONG, 0, Math.floorDiv(epochNanos, 1_000_000_000L));
            timespec.setAtIndex(JAVA_LONG, 1, Math.floorMod(epochNanos, 1_000_000_000L));
            int rc = (int) Clock.CLOCK_SETTIME.invokeExact(slot, CLOCK_REALTIME, timespec);
            if (rc != 0) {
                throw new PosixException("clock_settime", Libc.errno(slot));
            }
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        }
    }

    /**
     * Mixes {@code seed} into the kernel's input pool and credits it in full ({@code RNDADDENTROPY}
     * on {@code /dev/random}), then reseeds the CRNG at once ({@code RNDRESEEDCRNG}), so that
     * clones of one snapshot stop sharing their random stream. Needs root (CAP_SYS_ADMIN).
     */
    public static void addEntropy(byte[] seed) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            int fd = (int) Descriptors.OPEN.invokeExact(slot, arena.allocateFrom("/dev/random"), Libc.O_WRONLY, 0);
            if (fd < 0) {
                throw new PosixException("open /dev/random", Libc.errno(slot));
            }
            try {
                // struct rand_pool_info { int entropy_count (bits); int buf_size (bytes); __u32 buf[]; }
                MemorySegment info = arena.allocate(8L + ((seed.length + 3) & ~3));
                info.set(JAVA_INT, 0, seed.length * 8);
                info.set(JAVA_INT, 4, seed.length);
                info.asSlice(8, seed.length).copyFrom(MemorySegment.ofArray(seed));
                if ((int) Descriptors.IOCTL.invokeExact(slot, fd, RNDADDENTROPY, info) != 0) {
                    throw new PosixException("ioctl RNDADDENTROPY", Libc.errno(slot));
                }
                if ((int) Descriptors.IOCTL.invokeExact(slot, fd, RNDRESEEDCRNG, MemorySegment.NULL) != 0) {
                    throw new PosixException("ioctl RNDRESEEDCRNG", Libc.errno(slot));
                }
            } finally {
                int ignored = (int) Descriptors.CLOSE.invokeExact(slot, fd);
            }
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        }
    }

    /** Powers the machine off at once ({@code reboot(RB_POWER_OFF)}); callers sync first. Returns only on failure. */
    public static void powerOff() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            int rc = (int) Power.REBOOT.invokeExact(slot, RB_POWER_OFF);
            throw new PosixException("reboot(POWER_OFF) returned " + rc, Libc.errno(slot));
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        }
    }
}

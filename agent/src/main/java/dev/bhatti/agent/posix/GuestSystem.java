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

/** System calls only the guest agent makes, as root inside the VM: mount, umount, sethostname, clock, power off. */
public final class GuestSystem {
    /** {@code MS_RDONLY}. */
    public static final long READ_ONLY = 1;
    private static final int MNT_DETACH = 2;
    private static final int RB_POWER_OFF = 0x4321fedc;

    private static final MethodHandle MOUNT = Libc.withErrno("mount",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle UMOUNT2 = Libc.withErrno("umount2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETHOSTNAME = Libc.withErrno("sethostname",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOCK_SETTIME = Libc.withErrno("clock_settime",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final int CLOCK_REALTIME = 0;
    private static final MethodHandle REBOOT = Libc.withErrno("reboot", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private GuestSystem() {}

    /** {@code mount(2)}; {@code data} may be null. */
    public static void mount(String source, String target, String fsType, long flags, String data) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            MemorySegment opts = data == null ? MemorySegment.NULL : arena.allocateFrom(data);
            int rc = (int) MOUNT.invokeExact(slot, arena.allocateFrom(source), arena.allocateFrom(target),
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
            int rc = (int) UMOUNT2.invokeExact(slot, arena.allocateFrom(target), MNT_DETACH);
            if (rc != 0) {
                throw new PosixException("umount " + target, Libc.errno(slot));
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
            int rc = (int) SETHOSTNAME.invokeExact(slot, buf, (long) bytes.length);
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
            int rc = (int) CLOCK_SETTIME.invokeExact(slot, CLOCK_REALTIME, timespec);
            if (rc != 0) {
                throw new PosixException("clock_settime", Libc.errno(slot));
            }
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        }
    }

    /** Powers the machine off at once ({@code reboot(RB_POWER_OFF)}); callers sync first. Returns only on failure. */
    public static void powerOff() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot(arena);
            int rc = (int) REBOOT.invokeExact(slot, RB_POWER_OFF);
            throw new PosixException("reboot(POWER_OFF) returned " + rc, Libc.errno(slot));
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        }
    }
}

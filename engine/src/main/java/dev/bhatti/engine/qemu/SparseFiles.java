package dev.bhatti.engine.qemu;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The data extents of a sparse file, found with {@code lseek(SEEK_DATA/SEEK_HOLE)} (through FFM:
 * the JDK has no such call), so guest memory files can be compared without reading their holes
 * (reading a hole fills the page cache with zeros).
 */
final class SparseFiles {
    private static final int O_RDONLY = 0, SEEK_DATA = 3, SEEK_HOLE = 4, ENXIO = 6;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final long ERRNO_OFFSET = Linker.Option.captureStateLayout()
            .byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), ERRNO);
    private static final MethodHandle LSEEK = LINKER.downcallHandle(LINKER.defaultLookup().find("lseek").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
            ERRNO);
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    /** One run of data: {@code [start, end)}. */
    record Extent(long start, long end) {}

    private SparseFiles() {}

    /** The file's data extents in order (the file system's granularity: a block, at least). */
    static List<Extent> data(Path file, long size) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(file.toString()), O_RDONLY);
            if (fd < 0) {
                throw new IOException("open " + file + ": errno " + state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET));
            }
            try {
                List<Extent> out = new ArrayList<>();
                long pos = 0;
                while (pos < size) {
                    long start = (long) LSEEK.invokeExact(state, fd, pos, SEEK_DATA);
                    if (start < 0) {
                        int errno = state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
                        if (errno == ENXIO) {
                            break;
                        }
                        throw new IOException("lseek(SEEK_DATA) " + file + ": errno " + errno);
                    }
                    long end = (long) LSEEK.invokeExact(state, fd, start, SEEK_HOLE);
                    if (end < 0) {
                        throw new IOException("lseek(SEEK_HOLE) " + file + ": errno "
                                + state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET));
                    }
                    out.add(new Extent(start, Math.min(end, size)));
                    pos = end;
                }
                return out;
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("lseek on " + file + ": " + t, t);
        }
    }
}

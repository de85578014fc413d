package dev.bhatti.engine.qemu;

import dev.bhatti.engine.HostUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** Reads a sandbox's host usage: its VMM's VmRSS and the data extents of the files in its directory. */
final class HostUsageProbe {
    private HostUsageProbe() {}

    static HostUsage of(OptionalLong vmmPid, Path dir) {
        return new HostUsage(vmmPid.isPresent()
                ? HostUsage.residentBytes(Path.of("/proc", Long.toString(vmmPid.getAsLong()), "status")) : 0, disk(dir));
    }

    private static long disk(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(HostUsageProbe::allocated).sum();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long allocated(Path file) {
        try {
            return SparseFiles.data(file, Files.size(file)).stream().mapToLong(x -> x.end() - x.start()).sum();
        } catch (IOException e) {
            return 0;
        }
    }
}

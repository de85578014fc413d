package dev.bhatti.engine;

/**
 * What a sandbox holds of the host now (metrics).
 *
 * @param memoryBytes its VMM's resident memory, 0 when it has no VMM (cold), -1 when unknown
 * @param diskBytes   the bytes its files hold on the host's disk (holes of sparse files not counted), -1 when unknown
 */
public record HostUsage(long memoryBytes, long diskBytes) {
    public static final HostUsage UNKNOWN = new HostUsage(-1, -1);

    /** VmRSS in bytes from a {@code /proc/<pid>/status} file, -1 when it cannot be read (the process ended). */
    public static long residentBytes(java.nio.file.Path procStatus) {
        try {
            for (String line : java.nio.file.Files.readAllLines(procStatus)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // the process ended between the look-up and the read, or this is not Linux
        }
        return -1;
    }
}

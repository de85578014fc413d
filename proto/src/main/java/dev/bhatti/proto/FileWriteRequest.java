package dev.bhatti.proto;

/**
 * FILE_WRITE_REQ payload; exactly {@code size} bytes of content follow as STDIN frames.
 *
 * @param mode octal permission bits, e.g. {@code "0644"} (default when absent)
 */
public record FileWriteRequest(String path, String mode, long size) {
    public FileWriteRequest {
        Paths.requireValid(path);
        if (mode != null && !mode.matches("0?[0-7]{1,4}")) {
            throw new IllegalArgumentException("mode must be octal, got " + mode);
        }
    }

    /** The permission bits, 0644 when absent. */
    public int modeBits() {
        return mode == null ? 0644 : Integer.parseInt(mode, 8);
    }
}

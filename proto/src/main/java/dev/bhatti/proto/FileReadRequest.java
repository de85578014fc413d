package dev.bhatti.proto;

/**
 * FILE_READ_REQ payload. Any of {@code offset}, {@code limit}, {@code maxBytes} above 0 makes the
 * read truncated: {@code offset} is the 1-based first line, {@code limit} caps lines,
 * {@code maxBytes} caps bytes; whichever limit hits first ends the read.
 */
public record FileReadRequest(String path, Long offset, Long limit, Long maxBytes) {
    public FileReadRequest {
        Paths.requireValid(path);
    }

    public static FileReadRequest whole(String path) {
        return new FileReadRequest(path, null, null, null);
    }

    public boolean truncated() {
        return positive(offset) || positive(limit) || positive(maxBytes);
    }

    private static boolean positive(Long v) {
        return v != null && v > 0;
    }
}

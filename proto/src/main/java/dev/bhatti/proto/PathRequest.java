package dev.bhatti.proto;

/** FILE_STAT_REQ and FILE_LS_REQ payload. */
public record PathRequest(String path) {
    public PathRequest {
        Paths.requireValid(path);
    }
}

package dev.bhatti.proto;

final class Paths {
    private Paths() {}

    static void requireValid(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("path must not be empty");
        }
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path must not contain NUL bytes");
        }
    }
}

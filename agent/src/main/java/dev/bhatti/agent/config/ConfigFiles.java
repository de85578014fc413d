package dev.bhatti.agent.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Pattern;

/** Validation of one {@code files} entry; every problem is an {@link IllegalArgumentException} saying what is wrong. */
final class ConfigFiles {
    private static final Pattern MODE = Pattern.compile("0?[0-7]{1,4}");
    static final int DEFAULT_MODE = 0644;

    private ConfigFiles() {}

    /** The entry's permission bits; 0644 when absent. */
    static int mode(String mode) {
        if (mode == null) {
            return DEFAULT_MODE;
        }
        if (!MODE.matcher(mode).matches()) {
            throw new IllegalArgumentException("mode must be octal like 0644, got \"" + mode + "\"");
        }
        return Integer.parseInt(mode, 8);
    }

    /** The decoded content; empty when absent. */
    static byte[] content(String base64) {
        if (base64 == null) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("content is not valid base64: " + e.getMessage(), e);
        }
    }

    /** {@code guestPath} (absolute or not) as a path strictly inside {@code root}; ".." may not leave it. */
    static Path underRoot(Path root, String guestPath) {
        Path target;
        try {
            target = root.resolve(guestPath.replaceFirst("^/+", "")).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("invalid path: " + e.getReason(), e);
        }
        if (!target.startsWith(root)) {
            throw new IllegalArgumentException("path escapes the root");
        }
        if (target.equals(root)) {
            throw new IllegalArgumentException("path names no file");
        }
        return target;
    }
}

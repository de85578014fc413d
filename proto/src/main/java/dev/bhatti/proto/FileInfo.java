package dev.bhatti.proto;

import java.util.regex.Pattern;

/**
 * One file as stat and ls report it.
 *
 * @param name  base name
 * @param mode  permission bits as 4 octal digits, e.g. {@code "0644"}
 * @param mtime unix seconds
 */
public record FileInfo(String name, long size, String mode, boolean isDir, long mtime) {
    private static final Pattern MODE = Pattern.compile("[0-7]{4}");

    public FileInfo {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        if (mode == null || !MODE.matcher(mode).matches()) {
            throw new IllegalArgumentException("mode must be 4 octal digits, got " + mode);
        }
    }

    /** Formats permission bits (0–07777) as 4 octal digits. */
    public static String octal(int permissionBits) {
        return String.format("%04o", permissionBits & 07777);
    }
}

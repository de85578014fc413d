package dev.bhatti.agent.files;

import dev.bhatti.proto.FileInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What stat(2) says about one path: size, permission bits (incl. setuid/setgid/sticky),
 * file type and mtime in unix seconds. Read through the JDK's "unix" attribute view.
 */
record Stat(long size, int permissions, boolean dir, boolean regular, long mtime) {
    private static final int TYPE_MASK = 0170000;
    private static final int TYPE_DIR = 0040000;
    private static final int TYPE_REGULAR = 0100000;

    /** Stats {@code path}, following symlinks unless {@code options} says otherwise. */
    static Stat of(Path path, LinkOption... options) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:mode,size,lastModifiedTime", options);
        int mode = (Integer) a.get("mode");
        long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.SECONDS);
        return new Stat((Long) a.get("size"), mode & 07777, (mode & TYPE_MASK) == TYPE_DIR,
                (mode & TYPE_MASK) == TYPE_REGULAR, mtime);
    }

    /** Stats {@code path} following symlinks; failures become a problem naming {@code shown}. */
    static Stat require(Path path, String shown) throws FileProblem {
        try {
            return of(path);
        } catch (IOException e) {
            throw FileProblem.of(shown, e);
        }
    }

    String octal() {
        return FileInfo.octal(permissions);
    }

    FileInfo info(String name) {
        return new FileInfo(name, size, octal(), dir, mtime);
    }
}

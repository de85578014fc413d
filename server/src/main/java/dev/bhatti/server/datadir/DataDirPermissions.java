package dev.bhatti.server.datadir;

import dev.bhatti.engine.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's data dir is private to the daemon's user (decision 0013): created 0700 when
 * missing, and at every start anything under it that group or others may access loses those
 * bits — no refusal, one log line per kind of path ({@code sandboxes/<id>/mem}, not every
 * sandbox's). Symbolic links are neither followed nor changed.
 */
public final class DataDirPermissions {
    private static final Logger log = LoggerFactory.getLogger(DataDirPermissions.class);
    private static final Set<PosixFilePermission> OWNER = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    /**
     * Paths of one kind whose mode was changed.
     *
     * @param path the kind, relative to the data dir ({@code .} is the data dir itself)
     * @param was  the old mode in octal
     * @param now  the new mode in octal
     * @param count how many paths of the kind had mode {@code was}
     */
    public record Fixed(String path, String was, String now, int count) {}

    private DataDirPermissions() {}

    /** Creates {@code dataDir} (0700) if missing, then repairs and logs what others could access. */
    public static List<Fixed> secure(Path dataDir) {
        try {
            OwnerOnly.directories(dataDir);
            Map<List<String>, Integer> fixed = new LinkedHashMap<>();
            Files.walkFileTree(dataDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    fix(dataDir, dir, fixed);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (!attrs.isSymbolicLink()) {
                        fix(dataDir, file, fixed);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
            List<Fixed> out = new ArrayList<>();
            fixed.forEach((k, n) -> out.add(new Fixed(k.get(0), k.get(1), k.get(2), n)));
            out.forEach(f -> log.warn("event=permissions_fixed path={} was={} now={} count={}",
                    f.path(), f.was(), f.now(), f.count()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot secure data dir " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static void fix(Path root, Path p, Map<List<String>, Integer> fixed) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        Set<PosixFilePermission> owner = EnumSet.noneOf(PosixFilePermission.class);
        perms.stream().filter(OWNER::contains).forEach(owner::add);
        if (owner.equals(perms)) {
            return;
        }
        Files.setPosixFilePermissions(p, owner);
        fixed.merge(List.of(kind(root.relativize(p)), octal(perms), octal(owner)), 1, Integer::sum);
    }

    /** The kind of a path: sandbox ids, user ids and volume names replaced by placeholders. */
    static String kind(Path relative) {
        String s = relative.toString();
        if (s.isEmpty()) {
            return ".";
        }
        String[] parts = s.split("/");
        if (parts[0].equals("sandboxes") && parts.length >= 2) {
            parts[1] = "<id>";
            if (parts.length >= 3) {
                parts[2] = parts[2].replaceFirst("^vol-[0-9]+\\.ext4$", "vol-<n>.ext4")
                        .replaceFirst("^config-[0-9]+$", "config-<tmp>");
            }
        } else if (parts[0].equals("volumes") && parts.length >= 2) {
            parts[1] = "<user>";
            if (parts.length >= 3) {
                parts[2] = parts[2].endsWith(".ext4") ? "<name>.ext4" : "<name>";
            }
        }
        return String.join("/", parts);
    }

    static String octal(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("0%03o", mode);
    }
}

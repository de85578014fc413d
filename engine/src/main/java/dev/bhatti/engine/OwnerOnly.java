package dev.bhatti.engine;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Files and directories of the daemon's data dir, readable by their owner only: directories 0700,
 * files 0600, whatever the process umask. Each file is given its mode when it is created, before
 * anything is written into it; host tools and QEMU run with {@link #UMASK} so what they create is
 * private too.
 */
public final class OwnerOnly {
    /** rwx------ */
    public static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    /** rw------- */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    /** The umask children of the daemon that create files in the data dir run with. */
    public static final String UMASK = "077";

    private OwnerOnly() {}

    /** Creates {@code dir} and any missing parents, each created one 0700; existing ones are left alone. */
    public static Path directories(Path dir) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p, PosixFilePermissions.asFileAttribute(DIR));
                Files.setPosixFilePermissions(p, DIR);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw e;
                }
            }
        }
        return dir;
    }

    /** Creates {@code dir} (its parent must exist) with mode 0700. */
    public static Path directory(Path dir) throws IOException {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR));
        Files.setPosixFilePermissions(dir, DIR);
        return dir;
    }

    /**
     * An empty file with mode 0600 when {@code file} does not exist yet, so a tool that then writes it
     * (qemu-img, mkfs.ext4, QEMU's log redirect) keeps that mode; an existing file is set to 0600.
     */
    public static Path file(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        } catch (FileAlreadyExistsException e) {
            // made private below like a new one
        }
        Files.setPosixFilePermissions(file, FILE);
        return file;
    }

    /** Writes {@code data} into {@code file} (replacing what was there), the file being 0600 first. */
    public static Path write(Path file, byte[] data) throws IOException {
        file(file);
        Files.write(file, data, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        return file;
    }

    /** {@code command} run through {@code /bin/sh} with umask {@value #UMASK}; the shell execs it (same pid). */
    public static List<String> withUmask(List<String> command) {
        List<String> wrapped = new java.util.ArrayList<>(List.of("/bin/sh", "-c",
                "umask " + UMASK + " && exec \"$0\" \"$@\""));
        wrapped.addAll(command);
        return wrapped;
    }
}

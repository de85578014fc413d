package dev.bhatti.agent.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** Creates missing parent directories with mode 0755 (whatever the umask) and the owner. */
final class Directories {
    static final int MODE = 0755;

    private Directories() {}

    /** Creates {@code dir} and its missing ancestors; existing ones are left as they are. */
    static void create(Path dir, Optional<Owner> owner) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                if (Files.isDirectory(p)) {
                    continue; // created concurrently by another writer: fine
                }
                throw e;
            }
            Owners.apply(p, owner, MODE);
        }
    }
}

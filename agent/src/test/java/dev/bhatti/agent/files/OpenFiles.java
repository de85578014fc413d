package dev.bhatti.agent.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/** The files a process has open, from {@code /proc/<pid>/fd}. */
final class OpenFiles {
    private OpenFiles() {}

    static Set<Path> of(long pid) throws IOException {
        Set<Path> open = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    open.add(Files.readSymbolicLink(fd));
                } catch (NoSuchFileException closedMeanwhile) {
                    // the descriptor was closed between listing and reading it: not open
                }
            }
        }
        return open;
    }
}

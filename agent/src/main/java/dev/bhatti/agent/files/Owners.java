package dev.bhatti.agent.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Sets owner and mode of one path: chown first (it may clear setuid bits), then the exact mode. */
final class Owners {
    private Owners() {}

    static void apply(Path path, Optional<Owner> owner, int mode) throws IOException {
        if (owner.isPresent()) {
            Files.setAttribute(path, "unix:uid", owner.get().uid());
            Files.setAttribute(path, "unix:gid", owner.get().gid());
        }
        Files.setAttribute(path, "unix:mode", mode & 07777);
    }
}

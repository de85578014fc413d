package dev.bhatti.server.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** {@code mkfs.ext4} of a new sparse image, owned by the guest user at its root. */
final class Mkfs {
    private Mkfs() {}

    static void ext4(Path image, int sizeMb) throws IOException {
        Process p = new ProcessBuilder(List.of("mkfs.ext4", "-q", "-F", "-E", "root_owner=1000:1000",
                image.toString(), sizeMb + "M")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("mkfs.ext4 " + image + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating " + image, e);
        }
    }
}

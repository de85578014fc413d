package dev.bhatti.engine.qemu;

import dev.bhatti.engine.OwnerOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One sandbox's directory ({@code <data>/sandboxes/<id>/}) and the names of what lives in it:
 * root overlay, config drive, guest memory, device state, QMP socket, serial and VMM logs, bridge NIC.
 */
record SandboxDir(Path path) {
    Path overlay() { return path.resolve("root.qcow2"); }
    Path configDrive() { return path.resolve("config.ext4"); }
    Path memory() { return path.resolve("mem"); }
    /** Device state of the last snapshot; present and non-empty only once a snapshot completed. */
    Path state() { return path.resolve("state"); }
    Path stateInProgress() { return path.resolve("state.partial"); }
    Path qmpSocket() { return path.resolve("qmp.sock"); }
    Path serialLog() { return path.resolve("serial.log"); }
    Path vmmLog() { return path.resolve("qemu.log"); }
    /** Bridge mode only: the VM's user, TAP, MAC and address, read back at recovery. */
    Path nic() { return path.resolve("nic.properties"); }
    /** In a capture of a bridge-mode VM: the address its guest holds and its gateway's MAC. */
    Path sourceNic() { return path.resolve("source-nic.properties"); }
    Path volume(String name) { return path.resolve(VOLUME_PREFIX + name + VOLUME_SUFFIX); }

    private static final String VOLUME_PREFIX = "vol-", VOLUME_SUFFIX = ".ext4";

    /** The ephemeral volume images in this directory (made by {@link #volume}), by name. */
    java.util.List<Path> volumes() throws IOException {
        try (Stream<Path> files = Files.list(path)) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(VOLUME_PREFIX) && n.endsWith(VOLUME_SUFFIX);
            }).sorted().toList();
        }
    }
    /** Present (holding {@code snapshot}, {@code fork} or {@code checkpoint}) unless the VM was booted. */
    Path createdFromFile() { return path.resolve("created-from"); }

    /** How the VM was first made, as recorded in its directory (absent or unreadable: booted). */
    dev.bhatti.engine.CreatedFrom createdFrom() {
        try {
            String s = Files.readString(createdFromFile()).strip().toUpperCase(java.util.Locale.ROOT);
            return dev.bhatti.engine.CreatedFrom.valueOf(s);
        } catch (IOException | IllegalArgumentException e) {
            return dev.bhatti.engine.CreatedFrom.BOOT;
        }
    }

    void recordCreatedFrom(dev.bhatti.engine.CreatedFrom from) throws IOException {
        OwnerOnly.write(createdFromFile(), (from.wire() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    void create() throws IOException {
        OwnerOnly.directories(path.getParent());
        OwnerOnly.directory(path);
    }

    /** Removes the directory and everything in it; fine when it does not exist. */
    void delete() throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The last {@code lines} lines of a log (from at most its last 64 KiB), for error messages. */
    String tail(Path log, int lines) {
        try (var file = java.nio.channels.FileChannel.open(log, java.nio.file.StandardOpenOption.READ)) {
            long size = file.size();
            int window = (int) Math.min(size, 64 << 10);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(window);
            file.position(size - window);
            while (buf.hasRemaining() && file.read(buf) >= 0) {
                // reads until the window is full
            }
            var all = new String(buf.array(), 0, buf.position(), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (java.nio.file.NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}

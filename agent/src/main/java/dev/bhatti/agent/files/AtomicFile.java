package dev.bhatti.agent.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file replaced atomically: content goes to a hidden temp file in the target's directory
 * ({@code .<name>.lohar-<random>.tmp}), which {@link #commit} fsyncs, chowns, chmods and
 * renames over the target. Readers see the old or the new content, never a mix. Closing
 * without a commit removes the temp file. An existing symlink target is written through.
 */
final class AtomicFile implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AtomicFile.class);
    private static final int MAX_NAME_PART = 100;

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private boolean committed;

    private AtomicFile(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
    }

    /** Creates missing parent directories (0755, owned by {@code owner}) and the temp file. */
    static AtomicFile create(Path requested, Optional<Owner> owner) throws IOException {
        Path target = Files.exists(requested) ? requested.toRealPath() : requested.toAbsolutePath();
        Directories.create(target.getParent(), owner);
        Path temp = target.resolveSibling(tempName(target.getFileName().toString()));
        FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return new AtomicFile(target, temp, channel);
    }

    private static String tempName(String name) {
        String part = name.length() > MAX_NAME_PART ? name.substring(0, MAX_NAME_PART) : name;
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        return "." + part + ".lohar-" + HexFormat.of().formatHex(random) + ".tmp";
    }

    void write(byte[] buf, int off, int len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, off, len);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** fsyncs the content, sets owner and mode, renames over the target and fsyncs the directory. */
    void commit(int mode, Optional<Owner> owner) throws IOException {
        channel.force(true);
        channel.close();
        Owners.apply(temp, owner, mode);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
        syncDirectory(target.getParent());
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            log.warn("event=directory_sync_failed dir={} error=\"{}\"", dir, e.getMessage());
        }
    }

    /** Removes the temp file unless committed. */
    @Override
    public void close() {
        try {
            channel.close();
            if (!committed) {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            log.warn("event=temp_file_cleanup_failed temp={} error=\"{}\"", temp, e.getMessage());
        }
    }
}

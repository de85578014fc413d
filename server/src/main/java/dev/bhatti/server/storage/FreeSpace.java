package dev.bhatti.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** Free and total space of the filesystem that holds the daemon's data dir, read at each call. */
public interface FreeSpace {

    /** Bytes a new file may still take. */
    long usableBytes();

    /** The filesystem's size in bytes. */
    long totalBytes();

    /** The filesystem of {@code dir} (which must exist), as the JDK's {@link FileStore} reports it. */
    static FreeSpace of(Path dir) {
        return new FreeSpace() {
            @Override
            public long usableBytes() {
                try {
                    return store().getUsableSpace();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the free space of " + dir, e);
                }
            }

            @Override
            public long totalBytes() {
                try {
                    return store().getTotalSpace();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the size of the filesystem of " + dir, e);
                }
            }

            private FileStore store() throws IOException {
                return Files.getFileStore(dir);
            }
        };
    }
}

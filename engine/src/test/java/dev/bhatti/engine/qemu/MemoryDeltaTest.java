package dev.bhatti.engine.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryDeltaTest {
    private static final int PAGE = MemoryDelta.PAGE, PAGES = 1024;

    @TempDir
    Path tmp;

    /** A sparse file of PAGES pages with random data in the pages {@code withData} names, holes elsewhere. */
    private Path sparse(String name, long seed, int... withData) throws IOException {
        Path file = tmp.resolve(name);
        Random random = new Random(seed);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength((long) PAGES * PAGE);
            byte[] page = new byte[PAGE];
            for (int p : withData) {
                random.nextBytes(page);
                f.seek((long) p * PAGE);
                f.write(page);
            }
        }
        return file;
    }

    private static void overwrite(Path file, int page, byte[] content) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek((long) page * PAGE);
            f.write(content);
        }
    }

    private static long allocatedBytes(Path file) throws IOException {
        String[] f = Tools.run("stat", java.util.List.of("stat", "-c", "%b %B", file.toString())).strip().split(" ");
        return Long.parseLong(f[0]) * Long.parseLong(f[1]);
    }

    @Test
    void aDeltaHoldsOnlyTheChangedPagesAndRebuildsTheMemoryByteForByte() throws IOException {
        int[] basePages = new int[400];
        for (int i = 0; i < basePages.length; i++) {
            basePages[i] = i * 2;
        }
        Path base = sparse("base", 1, basePages);
        Path memory = tmp.resolve("mem");
        Files.copy(base, memory);
        overwrite(memory, 10, new byte[PAGE]);                    // a data page becomes zeros
        byte[] fresh = new byte[PAGE];
        new Random(7).nextBytes(fresh);
        overwrite(memory, 11, fresh);                             // a hole becomes data
        overwrite(memory, 500, fresh);                            // a data page changes
        overwrite(memory, 1000, fresh);                           // a hole past the base's data becomes data
        SandboxDir into = new SandboxDir(Files.createDirectories(tmp.resolve("cp")));

        int changed = MemoryDelta.write(memory, base, into);

        assertThat(changed).isEqualTo(4);
        assertThat(allocatedBytes(into.path().resolve(MemoryDelta.DELTA))).as("only changed data pages are stored")
                .isLessThanOrEqualTo(5L * PAGE);
        Path rebuilt = tmp.resolve("rebuilt");
        MemoryDelta.materialize(into, rebuilt);
        assertThat(Files.mismatch(rebuilt, memory)).isEqualTo(-1L);
    }

    @Test
    void anUnchangedMemoryHasAnEmptyDelta() throws IOException {
        Path base = sparse("base", 3, 1, 2, 3, 700);
        Path memory = tmp.resolve("mem");
        Files.copy(base, memory);
        SandboxDir into = new SandboxDir(Files.createDirectories(tmp.resolve("cp")));
        assertThat(MemoryDelta.write(memory, base, into)).isZero();
        Path rebuilt = tmp.resolve("rebuilt");
        MemoryDelta.materialize(into, rebuilt);
        assertThat(Files.mismatch(rebuilt, memory)).isEqualTo(-1L);
        assertThat(MemoryDelta.base(into)).contains(base.toAbsolutePath());
    }
}

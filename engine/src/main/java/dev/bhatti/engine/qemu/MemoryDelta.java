package dev.bhatti.engine.qemu;

import dev.bhatti.engine.OwnerOnly;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Guest memory kept as the pages that differ from a frozen base (decision 0022): a VM made from an
 * image snapshot records that snapshot's memory file as its base ({@code mem.base}, a path; its
 * forks and the sandboxes made from its checkpoints inherit it), and a checkpoint of it stores only
 * {@code mem.delta} (a sparse file of the memory's size holding the changed pages at their offsets;
 * a page changed to zeros stays a hole) and {@code mem.delta.pages} (a bitmap, one bit per 4 KiB
 * page). Both files are compared only where they hold data ({@link SparseFiles}). A full memory
 * file is laid out again from the base by a sparse copy and the changed pages written over it.
 * Image snapshots are never removed while the daemon runs, so a base outlives its checkpoints.
 */
final class MemoryDelta {
    static final int PAGE = 4096;
    static final String DELTA = "mem.delta", PAGES = "mem.delta.pages", BASE = "mem.base";
    private static final int CHUNK_PAGES = 256;

    private MemoryDelta() {}

    /** Records {@code base} as the frozen memory {@code dir}'s VM started from. */
    static void recordBase(SandboxDir dir, Path base) throws IOException {
        OwnerOnly.write(dir.path().resolve(BASE), (base.toAbsolutePath() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The base memory file of {@code dir}, if it has one that still exists. */
    static Optional<Path> base(SandboxDir dir) throws IOException {
        Path file = dir.path().resolve(BASE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Path base = Path.of(Files.readString(file).strip());
        return Files.isRegularFile(base) ? Optional.of(base) : Optional.empty();
    }

    /** Bytes of the pages a delta in {@code dir} holds as changed; -1 when it holds no delta. */
    static long changedBytes(SandboxDir dir) throws IOException {
        Path pages = dir.path().resolve(PAGES);
        return Files.isRegularFile(pages) ? (long) BitSet.valueOf(Files.readAllBytes(pages)).cardinality() * PAGE : -1;
    }

    /** Whether {@code dir} holds its memory as a delta. */
    static boolean isDelta(SandboxDir dir) {
        return Files.isRegularFile(dir.path().resolve(DELTA));
    }

    /**
     * Writes into {@code into} the pages of {@code memory} that differ from {@code base} (of the
     * same size), and records the base; answers how many pages differ.
     */
    static int write(Path memory, Path base, SandboxDir into) throws IOException {
        long size = Files.size(memory);
        if (Files.size(base) != size || size % PAGE != 0) {
            throw new IOException("memory " + memory + " and its base " + base + " differ in size");
        }
        int pages = (int) (size / PAGE);
        BitSet inMemory = dataPages(memory, size), inBase = dataPages(base, size);
        BitSet visit = (BitSet) inMemory.clone();
        visit.or(inBase);
        BitSet changed = new BitSet(pages);
        ByteBuffer m = ByteBuffer.allocateDirect(CHUNK_PAGES * PAGE), b = ByteBuffer.allocateDirect(CHUNK_PAGES * PAGE);
        Path deltaFile = OwnerOnly.file(into.path().resolve(DELTA));
        try (FileChannel mem = FileChannel.open(memory, StandardOpenOption.READ);
             FileChannel bas = FileChannel.open(base, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(deltaFile, StandardOpenOption.WRITE)) {
            out.truncate(0);
            for (int p = visit.nextSetBit(0); p >= 0; ) {
                int end = Math.min(runEnd(visit, p), p + CHUNK_PAGES);
                fill(mem, m, inMemory, p, end);
                fill(bas, b, inBase, p, end);
                for (int q = p; q < end; q++) {
                    int at = (q - p) * PAGE;
                    if (m.slice(at, PAGE).mismatch(b.slice(at, PAGE)) != -1) {
                        changed.set(q);
                        if (inMemory.get(q)) {
                            writeFully(out, m.slice(at, PAGE), (long) q * PAGE);
                        }
                    }
                }
                p = visit.nextSetBit(end);
            }
            if (out.size() < size) {
                // The delta has the memory's size, so its holes read as the zero pages they stand for.
                out.write(ByteBuffer.allocate(1), size - 1);
                out.truncate(size);
            }
        }
        OwnerOnly.write(into.path().resolve(PAGES), changed.toByteArray());
        recordBase(into, base);
        return changed.cardinality();
    }

    /** Lays out {@code target}: a sparse copy of the delta's base with every changed page written over it. */
    static void materialize(SandboxDir delta, Path target) throws IOException {
        Path base = base(delta).orElseThrow(() -> new IOException("the base memory of " + delta.path() + " is missing"));
        OwnerOnly.file(target);
        Tools.run("copy base memory", List.of("cp", "--sparse=always", base.toString(), target.toString()));
        BitSet changed = BitSet.valueOf(Files.readAllBytes(delta.path().resolve(PAGES)));
        ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK_PAGES * PAGE);
        try (FileChannel in = FileChannel.open(delta.path().resolve(DELTA), StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE)) {
            for (int p = changed.nextSetBit(0); p >= 0; ) {
                int end = Math.min(runEnd(changed, p), p + CHUNK_PAGES);
                buf.clear().limit((end - p) * PAGE);
                readFully(in, buf, (long) p * PAGE);
                buf.flip();
                writeFully(out, buf, (long) p * PAGE);
                p = changed.nextSetBit(end);
            }
        }
    }

    private static BitSet dataPages(Path file, long size) throws IOException {
        BitSet pages = new BitSet((int) (size / PAGE));
        for (SparseFiles.Extent e : SparseFiles.data(file, size)) {
            pages.set((int) (e.start() / PAGE), (int) ((e.end() + PAGE - 1) / PAGE));
        }
        return pages;
    }

    private static int runEnd(BitSet set, int from) {
        int end = set.nextClearBit(from);
        return end < 0 ? Integer.MAX_VALUE : end;
    }

    /** Pages {@code [from, to)} of {@code file} into {@code buf}: read where the file has data, zeros elsewhere. */
    private static void fill(FileChannel file, ByteBuffer buf, BitSet data, int from, int to) throws IOException {
        buf.clear();
        for (int p = from; p < to; ) {
            boolean has = data.get(p);
            int next = has ? runEnd(data, p) : data.nextSetBit(p);
            int end = next < 0 ? to : Math.min(next, to);
            ByteBuffer part = buf.slice((p - from) * PAGE, (end - p) * PAGE);
            if (has) {
                readFully(file, part, (long) p * PAGE);
            } else {
                while (part.hasRemaining()) {
                    part.putLong(0L);
                }
            }
            p = end;
        }
    }

    private static void writeFully(FileChannel file, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            at += file.write(buf, at);
        }
    }

    private static void readFully(FileChannel file, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = file.read(buf, at);
            if (n < 0) {
                while (buf.hasRemaining()) {
                    buf.put((byte) 0);
                }
                return;
            }
            at += n;
        }
    }
}

package dev.bhatti.agent.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.agent.AgentSocket;
import dev.bhatti.agent.LoharProcess;
import dev.bhatti.proto.FileWriteRequest;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.StatusReply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** FILE_WRITE_REQ against a real lohar (SPEC §2.5): atomic replace, modes, limits, lost connections. */
class FileWriteTest {
    private static LoharProcess lohar;
    private static FileClient client;
    private static Path workspace;

    @BeforeAll
    static void start() throws Exception {
        lohar = LoharProcess.start();
        client = new FileClient(lohar);
        workspace = lohar.workspace();
    }

    @AfterAll
    static void stop() throws Exception {
        lohar.close();
    }

    private static byte[] filled(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static List<String> leftovers(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".lohar-")).toList();
        }
    }

    @Test
    void writeCreatesTheFileWithDefaultMode0644() throws Exception {
        client.write("notes.txt", "first draft\n");

        Path file = workspace.resolve("notes.txt");
        assertThat(Files.readString(file)).isEqualTo("first draft\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        assertThat(leftovers(workspace)).isEmpty();
    }

    @Test
    void writeReplacesAnExistingFile() throws Exception {
        Files.writeString(workspace.resolve("replace.txt"), "a much longer old content that must vanish entirely");

        client.write("replace.txt", "new");

        assertThat(Files.readString(workspace.resolve("replace.txt"))).isEqualTo("new");
    }

    @Test
    void multiFrameBinaryWriteRoundTripsThroughRead() throws Exception {
        byte[] data = filled(3 * 1024 * 1024 + 17, 5);

        client.write("data/large.bin", "0640", data);

        assertThat(client.read("data/large.bin").content()).isEqualTo(data);
    }

    @Test
    void unicodePathIsWrittenAsGiven() throws Exception {
        client.write("ünïcødé/файл-🙂.txt", "привет");

        assertThat(Files.readString(workspace.resolve("ünïcødé").resolve("файл-🙂.txt"))).isEqualTo("привет");
    }

    @Test
    void zeroByteWriteWithoutStdinFramesCreatesAnEmptyFile() throws Exception {
        client.write("zero", null, new byte[0]);

        assertThat(Files.size(workspace.resolve("zero"))).isZero();
    }

    @Test
    void zeroByteWriteAcceptsAnEmptyStdinFrame() throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(FrameType.FILE_WRITE_REQ, new FileWriteRequest("zero-eof", null, 0));
            s.send(FrameType.STDIN, new byte[0]);
            assertThat(s.expectJson(FrameType.FILE_WRITE_RESP, StatusReply.class).succeeded()).isTrue();
        }
        assertThat(Files.exists(workspace.resolve("zero-eof"))).isTrue();
        assertThat(Files.size(workspace.resolve("zero-eof"))).isZero();
    }

    @ParameterizedTest(name = "mode {0}")
    @ValueSource(strings = {"0755", "0600", "0666", "0777", "0400"})
    void requestedModeIsHonouredWhateverTheUmask(String mode) throws Exception {
        client.write("mode-" + mode, mode, "x".getBytes(StandardCharsets.UTF_8));

        assertThat(client.stat("mode-" + mode).mode()).isEqualTo(mode);
    }

    @Test
    void missingParentDirectoriesAreCreatedWithMode0755() throws Exception {
        client.write("deep/er/est/file.txt", "deep");

        assertThat(Files.readString(workspace.resolve("deep/er/est/file.txt"))).isEqualTo("deep");
        for (String dir : List.of("deep", "deep/er", "deep/er/est")) {
            assertThat(client.stat(dir).mode()).as(dir).isEqualTo("0755");
            assertThat(client.stat(dir).isDir()).isTrue();
        }
    }

    @Test
    void writingThroughASymlinkReplacesItsTargetAndKeepsTheLink() throws Exception {
        Path real = Files.writeString(workspace.resolve("real-target.txt"), "old");
        Path link = Files.createSymbolicLink(workspace.resolve("link.txt"), real.getFileName());

        client.write("link.txt", "new via link");

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).isEqualTo("new via link");
    }

    @Test
    void negativeSizeIsRefused() throws Exception {
        assertThat(client.writeError(new FileWriteRequest("neg", null, -1))).isEqualTo("file size must be >= 0");
        assertThat(Files.exists(workspace.resolve("neg"))).isFalse();
    }

    @Test
    void sizeOverOneHundredMiBIsRefusedNamingTheLimit() throws Exception {
        String error = client.writeError(new FileWriteRequest("huge", null, 100L * 1024 * 1024 + 1));

        assertThat(error).contains("104857601").contains("100 MiB");
        assertThat(Files.exists(workspace.resolve("huge"))).isFalse();
    }

    @Test
    void moreBytesThanAnnouncedIsAnErrorAndLeavesNothingBehind() throws Exception {
        Files.createDirectories(workspace.resolve("over"));

        String error = client.writeError(new FileWriteRequest("over/file", null, 5), "abc".getBytes(), "defg".getBytes());

        assertThat(error).contains("over/file").contains("more than the announced 5 bytes");
        assertThat(Files.exists(workspace.resolve("over/file"))).isFalse();
        assertThat(Poll.until(Duration.ofSeconds(5), () -> leftovers(workspace.resolve("over")).isEmpty())).isTrue();
    }

    @Test
    void aFrameOtherThanStdinDuringTheContentIsAnError() throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(FrameType.FILE_WRITE_REQ, new FileWriteRequest("interrupted", null, 10));
            s.send(FrameType.KILL);
            assertThat(s.expectError()).contains("expected STDIN").contains("KILL");
        }
        assertThat(Files.exists(workspace.resolve("interrupted"))).isFalse();
    }

    @Test
    void writingOverADirectoryIsRefused() throws Exception {
        Files.createDirectories(workspace.resolve("a-dir"));

        assertThat(client.writeError(new FileWriteRequest("a-dir", null, 1), "x".getBytes())).isEqualTo("a-dir is a directory");
        assertThat(Files.isDirectory(workspace.resolve("a-dir"))).isTrue();
    }

    @Test
    void connectionLostMidWriteRemovesTheTempFileAndKeepsTheOldContent() throws Exception {
        Path dir = Files.createDirectories(workspace.resolve("lost"));
        Files.writeString(dir.resolve("file"), "old content");
        AgentSocket s = AgentSocket.control(lohar);
        s.sendJson(FrameType.FILE_WRITE_REQ, new FileWriteRequest("lost/file", null, 1_000_000));
        s.send(FrameType.STDIN, filled(100_000, 1));
        assertThat(Poll.until(Duration.ofSeconds(10), () -> leftovers(dir).size() == 1)).as("temp file appears").isTrue();

        s.close();

        assertThat(Poll.until(Duration.ofSeconds(10), () -> leftovers(dir).isEmpty())).as("temp file removed").isTrue();
        assertThat(Files.readString(dir.resolve("file"))).isEqualTo("old content");
        assertThat(client.ls("lost")).extracting(i -> i.name()).containsExactly("file");
    }

    @Test
    void concurrentReadersSeeOnlyWholeOldOrNewContent() throws Exception {
        byte[] a = filled(64 * 1024, 1);
        byte[] b = filled(64 * 1024, 2);
        client.write("atomic.bin", null, a);
        AtomicBoolean writing = new AtomicBoolean(true);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(pool.submit(() -> readUntil(writing, a, b)));
            }
            for (int i = 0; i < 40; i++) {
                client.write("atomic.bin", null, i % 2 == 0 ? b : a);
            }
            writing.set(false);
            for (Future<Integer> r : readers) {
                assertThat(r.get()).as("reads that saw a whole version").isPositive();
            }
        }
    }

    /** Reads until the writer stops; fails on any content that is not exactly a or b. */
    private static int readUntil(AtomicBoolean writing, byte[] a, byte[] b) throws Exception {
        int reads = 0;
        do {
            byte[] seen = client.read("atomic.bin").content();
            assertThat(Arrays.equals(seen, a) || Arrays.equals(seen, b)).as("read %d saw a whole version", reads).isTrue();
            reads++;
        } while (writing.get());
        return reads;
    }

    @Test
    void fiveConcurrentWritersLeaveExactlyOneWritersContent() throws Exception {
        List<byte[]> contents = new ArrayList<>();
        for (int w = 0; w < 5; w++) {
            contents.add(filled(256 * 1024, 10 + w));
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> writers = new ArrayList<>();
            for (byte[] c : contents) {
                writers.add(pool.submit(() -> {
                    client.write("contested/file.bin", null, c);
                    return null;
                }));
            }
            for (Future<?> w : writers) {
                w.get();
            }
        }
        byte[] result = Files.readAllBytes(workspace.resolve("contested/file.bin"));
        assertThat(contents.stream().filter(c -> Arrays.equals(c, result))).hasSize(1);
        assertThat(leftovers(workspace.resolve("contested"))).isEmpty();
    }
}

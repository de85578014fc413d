package dev.bhatti.agent.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.agent.AgentSocket;
import dev.bhatti.agent.LoharProcess;
import dev.bhatti.proto.FileReadRequest;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.Wire;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** FILE_READ_REQ against a real lohar (SPEC §2.5): whole reads, truncated reads, errors, cancel. */
class FileReadTest {
    private static LoharProcess lohar;
    private static FileClient client;
    private static Path workspace;

    @BeforeAll
    static void start() throws Exception {
        lohar = LoharProcess.start();
        client = new FileClient(lohar);
        workspace = lohar.workspace();
        Files.writeString(workspace.resolve("hundred.txt"), lines(1, 100));
    }

    @AfterAll
    static void stop() throws Exception {
        lohar.close();
    }

    /** {@code "line a\n" … "line b\n"}; empty when b < a. */
    static String lines(int a, int b) {
        return IntStream.rangeClosed(a, b).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
    }

    @Test
    void readReturnsContentTotalSizeAndModeThenExitZero() throws Exception {
        Path file = Files.writeString(workspace.resolve("hello.txt"), "hello, lohar\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        FileClient.Read read = client.read("hello.txt");

        assertThat(read.text()).isEqualTo("hello, lohar\n");
        assertThat(read.header().size()).isEqualTo(13);
        assertThat(read.header().mode()).isEqualTo("0640");
    }

    @Test
    void absolutePathOutsideTheWorkspaceIsRead() throws Exception {
        Path file = Files.writeString(lohar.dir().resolve("outside.txt"), "outside");

        assertThat(client.read(file.toString()).text()).isEqualTo("outside");
    }

    @Test
    void emptyFileSendsNoStdoutFrames() throws Exception {
        Files.write(workspace.resolve("empty"), new byte[0]);

        FileClient.Read read = client.read("empty");

        assertThat(read.frameSizes()).isEmpty();
        assertThat(read.header().size()).isZero();
    }

    @Test
    void binaryContentRoundTripsInFramesOfAtMost32KiB() throws Exception {
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7 + i / 256);
        }
        byte[] allValues = new byte[256];
        for (int i = 0; i < 256; i++) {
            allValues[i] = (byte) i;
        }
        System.arraycopy(allValues, 0, data, 40_000, 256);
        Files.write(workspace.resolve("blob.bin"), data);

        FileClient.Read read = client.read("blob.bin");

        assertThat(read.content()).isEqualTo(data);
        assertThat(read.frameSizes()).hasSizeGreaterThanOrEqualTo(4).allSatisfy(n -> assertThat(n).isBetween(1, Wire.CHUNK_SIZE));
    }

    @Test
    void unicodeFileNameAndContentRoundTrip() throws Exception {
        String name = "naïve-日本語-🚀.txt";
        Files.writeString(workspace.resolve(name), "größe ✓\n", StandardCharsets.UTF_8);

        assertThat(client.read(name).text()).isEqualTo("größe ✓\n");
        assertThat(client.stat(name).name()).isEqualTo(name);
    }

    /** One truncated read of the 100-line file and the content it must return. */
    record Truncation(String name, Long offset, Long limit, Long maxBytes, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Truncation> truncations() {
        return Stream.of(
                new Truncation("limit 10 → lines 1–10", null, 10L, null, lines(1, 10)),
                new Truncation("offset 50 → lines 50–100", 50L, null, null, lines(50, 100)),
                new Truncation("offset 50, limit 10 → lines 50–59", 50L, 10L, null, lines(50, 59)),
                new Truncation("max_bytes 10 cuts inside line 2", null, null, 10L, "line 1\nlin"),
                new Truncation("offset past the end → empty", 101L, null, null, ""),
                new Truncation("offset far past the end with limit → empty", 5000L, 10L, null, ""),
                new Truncation("offset 0 means line 1", 0L, 3L, null, lines(1, 3)),
                new Truncation("negative offset means line 1", -5L, 2L, null, lines(1, 2)),
                new Truncation("limit past the end stops at the end", 99L, 10L, null, lines(99, 100)),
                new Truncation("max_bytes ends before limit", 50L, 10L, 12L, "line 50\nline"),
                new Truncation("limit ends before max_bytes", null, 2L, 1000L, lines(1, 2)),
                new Truncation("max_bytes exactly one line", 7L, null, 7L, "line 7\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("truncations")
    void truncatedReadReturnsTheRequestedWindowAndTheTotalSize(Truncation t) throws Exception {
        FileClient.Read read = client.read(new FileReadRequest("hundred.txt", t.offset(), t.limit(), t.maxBytes()));

        assertThat(read.text()).isEqualTo(t.expected());
        assertThat(read.header().size()).isEqualTo(lines(1, 100).length());
    }

    @Test
    void limitOnAHundredThousandLineFileStreamsExactlyTheFirstLines() throws Exception {
        Files.writeString(workspace.resolve("big.txt"), lines(1, 100_000));

        FileClient.Read read = client.read(new FileReadRequest("big.txt", null, 2000L, null));

        assertThat(read.text()).isEqualTo(lines(1, 2000)).endsWith("line 2000\n");
        assertThat(read.frameSizes()).allSatisfy(n -> assertThat(n).isBetween(1, Wire.CHUNK_SIZE));
        assertThat(read.header().size()).isEqualTo(Files.size(workspace.resolve("big.txt")));
    }

    @Test
    void lastLineWithoutNewlineCountsAsALine() throws Exception {
        Files.writeString(workspace.resolve("no-eol.txt"), "a\nb\nc");

        assertThat(client.read(new FileReadRequest("no-eol.txt", 3L, 5L, null)).text()).isEqualTo("c");
    }

    @Test
    void procfsFileThatStatsAsEmptyIsReadWithItsRealContentAndTrueSize() throws Exception {
        assertThat(Files.size(Path.of("/proc/version"))).as("procfs reports size 0").isZero();

        FileClient.Read read = client.read("/proc/version");

        assertThat(read.text()).startsWith("Linux version ").isEqualTo(Files.readString(Path.of("/proc/version")));
        assertThat(read.header().size()).isEqualTo(read.content().length);
    }

    @Test
    void procfsStatusIsReadWholeAndTruncatedWithTheTotalSizeOfWhatIsThere() throws Exception {
        FileClient.Read whole = client.read("/proc/self/status");
        FileClient.Read firstLine = client.read(new FileReadRequest("/proc/self/status", null, 1L, null));

        assertThat(whole.text()).contains("Name:").contains("Pid:");
        assertThat(whole.header().size()).isEqualTo(whole.content().length);
        assertThat(firstLine.text()).startsWith("Name:").endsWith("\n").doesNotContain("Pid:");
        assertThat(firstLine.header().size()).isGreaterThan(firstLine.content().length);
    }

    @Test
    void trulyEmptyFileStillReportsSizeZeroAndNoContent() throws Exception {
        Files.write(workspace.resolve("really-empty"), new byte[0]);

        FileClient.Read read = client.read("really-empty");

        assertThat(read.content()).isEmpty();
        assertThat(read.header().size()).isZero();
    }

    @Test
    void readingADirectoryIsAnErrorNamingThePath() throws Exception {
        Files.createDirectories(workspace.resolve("somedir"));

        assertThat(client.readError("somedir")).isEqualTo("somedir is a directory");
    }

    @Test
    void readingAMissingFileSaysNoSuchFile() throws Exception {
        assertThat(client.readError("missing/nothing.txt")).contains("missing/nothing.txt").contains("no such file");
    }

    @Test
    void readingAFifoIsRefusedAsNotARegularFile() throws Exception {
        Path fifo = workspace.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();

        assertThat(client.readError("pipe")).isEqualTo("pipe is not a regular file");
    }

    @Test
    void closingTheConnectionStopsALargeReadPromptlyAndTheAgentKeepsServing() throws Exception {
        Path big = workspace.resolve("ten-mib.bin");
        Files.write(big, new byte[10 * 1024 * 1024]);
        AgentSocket s = AgentSocket.control(lohar);
        s.sendJson(FrameType.FILE_READ_REQ, FileReadRequest.whole(big.toString()));
        s.expect(FrameType.FILE_READ_RESP);
        s.expect(FrameType.STDOUT);
        assertThat(OpenFiles.of(lohar.pid())).as("lohar is streaming the file").contains(big.toRealPath());

        long start = System.nanoTime();
        s.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

        assertThat(Poll.until(Duration.ofSeconds(2), () -> !OpenFiles.of(lohar.pid()).contains(big.toRealPath())))
                .as("lohar closed the file within 2 s of the cancel").isTrue();
        assertThat(client.read("hundred.txt").text()).isEqualTo(lines(1, 100));
    }
}

package dev.bhatti.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.agent.LoharProcess;
import dev.bhatti.proto.FileInfo;
import dev.bhatti.proto.FileReadRequest;
import dev.bhatti.proto.FileReadResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Files (SPEC §2.5) and port forwarding (SPEC §1.4) through the client against a real lohar.
 * Needs the agent's FileService and Forwarder; kept apart so the rest of the client's tests
 * do not depend on them.
 */
class ClientFilesAndForwardTest {
    private static final int FIVE_MIB = 5 << 20;
    private static LoharProcess lohar;
    private static AgentClient client;
    private static String ws;

    @BeforeAll
    static void start() throws Exception {
        lohar = LoharProcess.start();
        client = Agents.client(lohar);
        client.waitReady(Agents.WAIT);
        ws = lohar.workspace().toString();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        lohar.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static void write(String path, byte[] content) throws IOException {
        client.writeFile(path, "0644", content.length, new ByteArrayInputStream(content));
    }

    private static String hundredLines() {
        return IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
    }

    private static String read(FileReadRequest request) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.readFile(request, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void fiveMebibytesOfRandomBytesRoundTripStreamed() throws Exception {
        byte[] data = random(FIVE_MIB, 1);
        String path = ws + "/round/trip.bin";
        client.writeFile(path, "0600", data.length, new ByteArrayInputStream(data));
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long[] received = {0};
        FileReadResponse response = client.readFile(FileReadRequest.whole(path), new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                digest.update(b, off, len);
                received[0] += len;
            }
        });
        assertThat(response).isEqualTo(new FileReadResponse(FIVE_MIB, "0600"));
        assertThat(received[0]).isEqualTo(FIVE_MIB);
        assertThat(digest.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        assertThat(Files.readAllBytes(lohar.workspace().resolve("round/trip.bin"))).isEqualTo(data);
    }

    @Test
    void openReadStreamsTheContentChunkByChunk() throws Exception {
        byte[] data = random(FIVE_MIB, 2);
        String path = ws + "/stream.bin";
        write(path, data);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (FileReadStream in = client.openRead(FileReadRequest.whole(path))) {
            assertThat(in.response().size()).isEqualTo(FIVE_MIB);
            byte[] buf = new byte[10_000];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                got.write(buf, 0, n);
            }
        }
        assertThat(got.toByteArray()).isEqualTo(data);
    }

    @Test
    void closingAnOpenReadEarlyStopsTheTransfer() throws Exception {
        String path = ws + "/early.bin";
        write(path, random(FIVE_MIB, 3));
        try (InputStream in = client.openRead(FileReadRequest.whole(path))) {
            assertThat(in.readNBytes(1000)).hasSize(1000);
        }
        assertThat(client.exec(dev.bhatti.proto.ExecRequest.of("true")).exitCode()).as("agent still serves").isZero();
    }

    @Test
    void truncatedReadsFollowOffsetLimitAndMaxBytes() throws Exception {
        String path = ws + "/lines.txt";
        write(path, hundredLines().getBytes(StandardCharsets.UTF_8));
        assertThat(read(new FileReadRequest(path, null, 10L, null))).startsWith("line 1\n").endsWith("line 10\n");
        assertThat(read(new FileReadRequest(path, 50L, 10L, null)))
                .isEqualTo(IntStream.rangeClosed(50, 59).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining()));
        assertThat(read(new FileReadRequest(path, null, null, 10L))).isEqualTo("line 1\nlin");
        assertThat(read(new FileReadRequest(path, 500L, null, null))).isEmpty();
        FileReadResponse response = client.readFile(new FileReadRequest(path, null, 1L, null), OutputStream.nullOutputStream());
        assertThat(response.size()).as("total size, not the truncated one").isEqualTo(hundredLines().length());
    }

    @Test
    void statReportsSizeModeAndKind() throws Exception {
        String path = ws + "/stat/me.txt";
        client.writeFile(path, "0640", 5, new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)));
        FileInfo file = client.stat(path);
        assertThat(file.name()).isEqualTo("me.txt");
        assertThat(file.size()).isEqualTo(5);
        assertThat(file.mode()).isEqualTo("0640");
        assertThat(file.isDir()).isFalse();
        assertThat(client.stat(ws + "/stat").isDir()).isTrue();
    }

    @Test
    void listReturnsEveryEntryAndEmptyForAnEmptyDirectory() throws Exception {
        write(ws + "/ls/a.txt", new byte[1]);
        write(ws + "/ls/b.txt", new byte[2]);
        write(ws + "/ls/sub/c.txt", new byte[3]);
        assertThat(client.list(ws + "/ls")).extracting(FileInfo::name).containsExactlyInAnyOrder("a.txt", "b.txt", "sub");
        Files.createDirectories(lohar.workspace().resolve("empty"));
        assertThat(client.list(ws + "/empty")).isEmpty();
    }

    @Test
    void zeroByteWriteCreatesAnEmptyFile() throws Exception {
        String path = ws + "/empty.txt";
        client.writeFile(path, null, 0, InputStream.nullInputStream());
        assertThat(client.stat(path).size()).isZero();
        assertThat(read(FileReadRequest.whole(path))).isEmpty();
    }

    @Test
    void missingFilesAreAgentErrors() {
        assertThatThrownBy(() -> client.readFile(FileReadRequest.whole(ws + "/nope"), OutputStream.nullOutputStream()))
                .isInstanceOf(AgentException.class).hasMessageContaining("no such file");
        assertThatThrownBy(() -> client.openRead(FileReadRequest.whole(ws + "/nope")))
                .isInstanceOf(AgentException.class).hasMessageContaining("no such file");
        assertThatThrownBy(() -> client.stat(ws + "/nope"))
                .isInstanceOf(AgentException.class).hasMessageContaining("no such file");
        assertThatThrownBy(() -> client.readFile(FileReadRequest.whole(ws), OutputStream.nullOutputStream()))
                .isInstanceOf(AgentException.class).hasMessageContaining("is a directory");
    }

    @Test
    void contentShorterThanTheDeclaredSizeFailsAndLeavesNoFile() throws Exception {
        String path = ws + "/short.bin";
        assertThatThrownBy(() -> client.writeFile(path, "0644", 100, new ByteArrayInputStream(new byte[10])))
                .isInstanceOf(EOFException.class);
        Agents.awaitTrue("no partial file", () -> !Files.exists(lohar.workspace().resolve("short.bin")));
    }

    @Test
    void negativeSizeIsRefusedByTheAgent() {
        assertThatThrownBy(() -> client.writeFile(ws + "/neg", "0644", -1, InputStream.nullInputStream()))
                .isInstanceOf(AgentException.class).hasMessageContaining("file size must be >= 0");
    }

    @Test
    void forwardRelaysBytesToAGuestTcpPortWithHalfClose() throws Exception {
        try (ServerSocketChannel echo = ServerSocketChannel.open()) {
            echo.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofVirtual().start(() -> echoOnce(echo));
            int port = ((InetSocketAddress) echo.getLocalAddress()).getPort();
            try (SocketChannel relay = client.forward(port)) {
                relay.write(ByteBuffer.wrap("ping over the tunnel".getBytes(StandardCharsets.UTF_8)));
                relay.shutdownOutput();
                byte[] back = java.nio.channels.Channels.newInputStream(relay).readAllBytes();
                assertThat(new String(back, StandardCharsets.UTF_8)).isEqualTo("ping over the tunnel");
            }
        }
    }

    private static void echoOnce(ServerSocketChannel server) {
        try (SocketChannel ch = server.accept()) {
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (ch.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                buf.clear();
            }
            ch.shutdownOutput();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void forwardToAPortNobodyListensOnIsAnAgentError() throws Exception {
        int port;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        assertThatThrownBy(() -> client.forward(port)).isInstanceOf(AgentException.class);
    }
}

package dev.bhatti.agent;

import dev.bhatti.agent.config.ConfigDrive;
import dev.bhatti.agent.config.GuestSetup;
import dev.bhatti.proto.ExecKillRequest;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.FileReadRequest;
import dev.bhatti.proto.FileWriteRequest;
import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameReader;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.FrameWriter;
import dev.bhatti.proto.Json;
import dev.bhatti.proto.PathRequest;
import dev.bhatti.proto.SessionInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code lohar self-test}: serves in test mode on temporary sockets and drives one request of
 * every kind through real connections. Exit 0 when every answer is right. Image builds run it
 * to train lohar's AOT cache on the code paths a sandbox uses.
 */
final class SelfTest {
    private final Path dir;
    private final Path control;

    private SelfTest(Path dir) {
        this.dir = dir;
        this.control = dir.resolve("control.sock");
    }

    static int run() throws IOException {
        Path dir = Files.createTempDirectory("lohar-self-test-");
        AgentOptions options = AgentOptions.defaults(UnixDomainSocketAddress.of(dir.resolve("control.sock")),
                UnixDomainSocketAddress.of(dir.resolve("forward.sock")), dir);
        try (AgentServer server = AgentServer.start(options)) {
            new SelfTest(dir).exercise();
            System.out.println("lohar self-test: ok");
            return 0;
        } catch (IOException | IllegalStateException e) {
            System.err.println("lohar self-test: FAILED: " + e.getMessage());
            return 1;
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void exercise() throws IOException {
        for (int i = 0; i < 20; i++) {
            check(exec(ExecRequest.of("echo", "self-test")).equals("self-test\n"), "exec echo");
        }
        write("probe.txt", "probe\n");
        check(exec(ExecRequest.of("cat", "probe.txt")).equals("probe\n"), "file write then exec cat");
        check(read("probe.txt").equals("probe\n"), "file read");
        expect(FrameType.FILE_STAT_REQ, new PathRequest("probe.txt"), FrameType.FILE_STAT_RESP);
        expect(FrameType.FILE_LS_REQ, new PathRequest(dir.toString()), FrameType.FILE_LS_RESP);
        expect(FrameType.ACTIVITY_REQ, null, FrameType.ACTIVITY_RESP);
        session();
        guestConfig();
    }

    /** The config-drive path of guest boot, applied under a scratch root instead of "/". */
    private void guestConfig() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path json = dir.resolve("config.json");
        Files.writeString(json, "{\"sandbox_id\":\"self-test\",\"hostname\":\"self-test\",\"token\":\"00\","
                + "\"env\":{\"A\":\"1\"},\"files\":{\"/etc/motd\":{\"content\":\"aGkK\",\"mode\":\"0644\"}},"
                + "\"volumes\":[],\"dns\":[\"10.0.2.3\"],\"user\":\"lohar\"}");
        var report = new GuestSetup(root, Optional.empty()).apply(ConfigDrive.read(json));
        check(report.skipped().isEmpty() && Files.readString(root.resolve("etc/motd")).equals("hi\n"), "guest config");
    }

    private void session() throws IOException {
        try (SocketChannel ch = connect()) {
            FrameReader in = reader(ch);
            new FrameWriter(Channels.newOutputStream(ch)).sendJson(FrameType.EXEC_REQ,
                    ExecRequest.builder("sh").tty(24, 80).build());
            SessionInfo info = Json.decode(in.require().payload(), SessionInfo.class);
            expect(FrameType.EXEC_LIST_REQ, null, FrameType.EXEC_LIST_RESP);
            expect(FrameType.EXEC_KILL, new ExecKillRequest(info.sessionId()), FrameType.EXIT);
        }
    }

    private String exec(ExecRequest request) throws IOException {
        try (SocketChannel ch = connect()) {
            new FrameWriter(Channels.newOutputStream(ch)).sendJson(FrameType.EXEC_REQ, request);
            return collect(reader(ch));
        }
    }

    private String read(String path) throws IOException {
        try (SocketChannel ch = connect()) {
            new FrameWriter(Channels.newOutputStream(ch)).sendJson(FrameType.FILE_READ_REQ, FileReadRequest.whole(path));
            FrameReader in = reader(ch);
            check(in.require().is(FrameType.FILE_READ_RESP), "FILE_READ_RESP");
            return collect(in);
        }
    }

    private void write(String path, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try (SocketChannel ch = connect()) {
            FrameWriter out = new FrameWriter(Channels.newOutputStream(ch));
            out.sendJson(FrameType.FILE_WRITE_REQ, new FileWriteRequest(path, "0644", bytes.length));
            out.write(FrameType.STDIN, bytes);
            check(reader(ch).require().is(FrameType.FILE_WRITE_RESP), "FILE_WRITE_RESP");
        }
    }

    private void expect(FrameType request, Object body, FrameType answer) throws IOException {
        try (SocketChannel ch = connect()) {
            FrameWriter out = new FrameWriter(Channels.newOutputStream(ch));
            if (body == null) {
                out.write(request);
            } else {
                out.sendJson(request, body);
            }
            Frame f = reader(ch).require();
            check(f.is(answer), request + " answered " + f + " " + f.text());
        }
    }

    private static String collect(FrameReader in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f = in.require(); !f.is(FrameType.EXIT); f = in.require()) {
            check(f.is(FrameType.STDOUT), "expected output, got " + f + " " + f.text());
            out.writeBytes(f.payload());
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private SocketChannel connect() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(control));
        return ch;
    }

    private static FrameReader reader(SocketChannel ch) {
        return new FrameReader(Channels.newInputStream(ch));
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}

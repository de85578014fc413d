package dev.bhatti.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.Json;
import dev.bhatti.proto.Payloads;
import dev.bhatti.proto.ProtocolException;
import dev.bhatti.proto.SessionInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's own framing rules (SPEC §1.1) and the TCP transport, against a scripted peer:
 * a real agent never sends unknown frame types, so only a fake one can test how they are treated.
 */
class ClientFramingTest {
    private static final int UNKNOWN_TYPE = 0x7E;
    private static final SessionInfo INFO = new SessionInfo("s1", "sh", true, true, null, true, 1_700_000_000L, 42, 0L, null);

    private Path dir;

    @BeforeEach
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("fake-agent-");
    }

    @AfterEach
    void removeDir() throws IOException {
        Files.deleteIfExists(dir.resolve("control.sock"));
        Files.deleteIfExists(dir);
    }

    private AgentClient clientOf(FakeAgent.Script script, FakeAgent[] holder) throws IOException {
        Path socket = dir.resolve("control.sock");
        holder[0] = FakeAgent.unix(socket, script);
        return new AgentClient(Transport.unix(socket, dir.resolve("forward.sock")), Optional.empty());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void unknownFrameTypesAreSkippedDuringExec() throws Exception {
        FakeAgent[] fake = new FakeAgent[1];
        try (AgentClient client = clientOf((in, out) -> {
            in.next();
            out.write(FrameType.STDOUT, utf8("one "));
            out.write(UNKNOWN_TYPE, utf8("future"), 0, 6);
            out.write(FrameType.STDOUT, utf8("two"));
            out.write(UNKNOWN_TYPE, new byte[0], 0, 0);
            out.exit(7);
        }, fake); FakeAgent peer = fake[0]) {
            ExecResult r = client.exec(ExecRequest.of("anything"));
            assertThat(r.stdout()).isEqualTo("one two");
            assertThat(r.exitCode()).isEqualTo(7);
        }
    }

    @Test
    void unknownFrameInsideATerminalStreamIsAProtocolError() throws Exception {
        FakeAgent[] fake = new FakeAgent[1];
        try (AgentClient client = clientOf((in, out) -> {
            in.next();
            out.sendJson(FrameType.SESSION_INFO, INFO);
            out.write(FrameType.STDOUT, utf8("$ "));
            out.write(UNKNOWN_TYPE, utf8("??"), 0, 2);
            in.next();
        }, fake); FakeAgent peer = fake[0]; Terminal t = client.openTerminal(ExecRequest.builder("sh").tty().build())) {
            assertThat(t.info()).isEqualTo(INFO);
            assertThat(t.read()).isInstanceOfSatisfying(Terminal.Event.Output.class,
                    o -> assertThat(new String(o.data(), StandardCharsets.UTF_8)).isEqualTo("$ "));
            assertThatThrownBy(t::read).isInstanceOfSatisfying(ProtocolException.class,
                    e -> assertThat(e.reason()).isEqualTo(ProtocolException.Reason.UNEXPECTED_FRAME));
            assertThat(t.read()).as("the stream is over after the error").isInstanceOf(Terminal.Event.Closed.class);
        }
    }

    @Test
    void unknownFrameInsteadOfSessionInfoFailsTheOpen() throws Exception {
        FakeAgent[] fake = new FakeAgent[1];
        try (AgentClient client = clientOf((in, out) -> {
            in.next();
            out.write(UNKNOWN_TYPE, utf8("x"), 0, 1);
            out.sendJson(FrameType.SESSION_INFO, INFO);
        }, fake); FakeAgent peer = fake[0]) {
            assertThatThrownBy(() -> client.openTerminal(ExecRequest.builder("sh").tty().build()))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("unknown frame type 0x7e");
        }
    }

    @Test
    void connectionEndingBeforeExitIsAnUnexpectedEnd() throws Exception {
        FakeAgent[] fake = new FakeAgent[1];
        try (AgentClient client = clientOf((in, out) -> {
            in.next();
            out.write(FrameType.STDOUT, utf8("partial"));
        }, fake); FakeAgent peer = fake[0]) {
            assertThatThrownBy(() -> client.exec(ExecRequest.of("x"))).isInstanceOfSatisfying(ProtocolException.class,
                    e -> assertThat(e.reason()).isEqualTo(ProtocolException.Reason.UNEXPECTED_END));
        }
    }

    @Test
    void outOfPlaceKnownFrameIsAProtocolError() throws Exception {
        FakeAgent[] fake = new FakeAgent[1];
        try (AgentClient client = clientOf((in, out) -> {
            in.next();
            out.write(FrameType.FILE_LS_RESP, utf8("[]"));
        }, fake); FakeAgent peer = fake[0]) {
            assertThatThrownBy(client::activity).isInstanceOfSatisfying(ProtocolException.class,
                    e -> assertThat(e.reason()).isEqualTo(ProtocolException.Reason.UNEXPECTED_FRAME));
        }
    }

    @Test
    void tcpTransportSendsAuthThenTheRequestAndReadsTheAnswer() throws Exception {
        FakeAgent[] fake = new FakeAgent[1];
        fake[0] = FakeAgent.tcp((in, out) -> {
            Frame auth = fake[0].recording(in).orElseThrow();
            Frame request = fake[0].recording(in).orElseThrow();
            if (auth.is(FrameType.AUTH) && request.is(FrameType.EXEC_REQ)) {
                ExecRequest r = Json.decode(request.payload(), ExecRequest.class);
                out.write(FrameType.STDERR, utf8(String.join(" ", r.argv())));
                out.write(FrameType.EXIT, Payloads.exit(-1));
            } else {
                out.error("auth required");
            }
        });
        try (FakeAgent peer = fake[0];
             AgentClient client = new AgentClient(Transport.tcp("127.0.0.1", peer.port(), peer.port()), Optional.of("t0k3n"))) {
            ExecResult r = client.exec(ExecRequest.of("echo", "over", "tcp"));
            assertThat(r.stderr()).isEqualTo("echo over tcp");
            assertThat(r.exitCode()).isEqualTo(-1);
            assertThat(peer.received().getFirst().text()).isEqualTo("t0k3n");
        }
    }

    @Test
    void tcpTransportToAClosedPortFailsNamingTheAddress() throws Exception {
        int port;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        try (AgentClient client = new AgentClient(Transport.tcp("127.0.0.1", port, port), Optional.empty())) {
            assertThatThrownBy(client::activity).isInstanceOf(IOException.class)
                    .hasMessageContaining("tcp:127.0.0.1:" + port);
        }
    }
}

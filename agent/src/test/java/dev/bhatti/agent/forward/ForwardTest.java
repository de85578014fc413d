package dev.bhatti.agent.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.agent.LoharProcess;
import dev.bhatti.proto.ForwardRequest;
import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.Json;
import dev.bhatti.proto.StatusReply;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The forward port (SPEC §1.4) against a real lohar: FWD_REQ, FWD_RESP, then raw relaying with half-close. */
class ForwardTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static LoharProcess lohar;
    private static TargetServer echo;

    @BeforeAll
    static void start() throws Exception {
        lohar = LoharProcess.start();
        echo = TargetServer.echo();
    }

    @AfterAll
    static void stop() throws Exception {
        echo.close();
        lohar.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Opens a forward connection to {@code port} and checks the FWD_RESP is ok. */
    private static ForwardClient forwardTo(int port) throws Exception {
        ForwardClient c = ForwardClient.open(lohar.forwardSocket());
        c.send(FrameType.FWD_REQ, Json.encode(new ForwardRequest(port)));
        assertOk(c.reply());
        return c;
    }

    private static void assertOk(Frame reply) throws Exception {
        assertThat(reply.kind()).as("%s: %s", reply, reply.text()).contains(FrameType.FWD_RESP);
        assertThat(Json.decode(reply.payload(), StatusReply.class)).isEqualTo(StatusReply.ok());
    }

    @Test
    void bytesAreRelayedToTheGuestPortAndBack() throws Exception {
        try (ForwardClient c = forwardTo(echo.port())) {
            c.writeRaw(utf8("hello through the forward port"));

            assertThat(new String(c.awaitBytes(30, WAIT), StandardCharsets.UTF_8)).isEqualTo("hello through the forward port");
        }
    }

    @Test
    void bytesSentRightBehindTheRequestAreNotLost() throws Exception {
        try (ForwardClient c = ForwardClient.open(lohar.forwardSocket())) {
            c.send(FrameType.FWD_REQ, Json.encode(new ForwardRequest(echo.port())), utf8("pipelined"));
            assertOk(c.reply());

            assertThat(new String(c.awaitBytes(9, WAIT), StandardCharsets.UTF_8)).isEqualTo("pipelined");
        }
    }

    @Test
    void largeBinaryTransferArrivesIntact() throws Exception {
        byte[] data = new byte[4 * 1024 * 1024];
        new Random(42).nextBytes(data);
        try (ForwardClient c = forwardTo(echo.port())) {
            c.writeRaw(data);

            assertThat(c.awaitBytes(data.length, Duration.ofSeconds(60))).isEqualTo(data);
        }
    }

    @Test
    void hostHalfCloseReachesTheTargetAndTheHostThenSeesEofAfterTheEcho() throws Exception {
        try (TargetServer own = TargetServer.echo(); ForwardClient c = forwardTo(own.port())) {
            c.writeRaw(utf8("last words"));
            c.shutdownOutput();

            assertThat(own.events().poll(20, TimeUnit.SECONDS)).as("echo server saw EOF").isEqualTo("eof");
            assertThat(c.awaitEnd(WAIT)).as("host sees EOF").isTrue();
            assertThat(new String(c.awaitBytes(10, WAIT), StandardCharsets.UTF_8)).isEqualTo("last words");
            assertThat(c.failure()).isEmpty();
        }
    }

    @Test
    void targetHalfCloseEndsTheHostStreamButTheHostCanStillSend() throws Exception {
        try (TargetServer greeter = new TargetServer((socket, events) -> {
            try (socket) {
                socket.getOutputStream().write(utf8("greeting"));
                socket.shutdownOutput();
                events.add("got:" + new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        }); ForwardClient c = forwardTo(greeter.port())) {
            assertThat(c.awaitEnd(WAIT)).as("host sees EOF after the greeting").isTrue();
            assertThat(new String(c.awaitBytes(8, WAIT), StandardCharsets.UTF_8)).isEqualTo("greeting");

            c.writeRaw(utf8("answer after eof"));
            c.shutdownOutput();

            assertThat(greeter.events().poll(20, TimeUnit.SECONDS)).isEqualTo("got:answer after eof");
        }
    }

    @Test
    void targetClosingEndsTheHostStream() throws Exception {
        try (TargetServer closer = new TargetServer((socket, events) -> socket.close());
                ForwardClient c = forwardTo(closer.port())) {
            assertThat(c.awaitEnd(WAIT)).isTrue();
            assertThat(c.awaitBytes(1, Duration.ZERO)).isEmpty();
        }
    }

    @Test
    void concurrentForwardsKeepTheirStreamsApart() throws Exception {
        List<ForwardClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                clients.add(forwardTo(echo.port()));
            }
            for (int i = 0; i < 5; i++) {
                clients.get(i).writeRaw(utf8("client-" + i + "-".repeat(1000 * i)));
            }
            for (int i = 0; i < 5; i++) {
                String expected = "client-" + i + "-".repeat(1000 * i);
                assertThat(new String(clients.get(i).awaitBytes(expected.length(), WAIT), StandardCharsets.UTF_8))
                        .isEqualTo(expected);
            }
        } finally {
            for (ForwardClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void portWithNothingListeningAnswersAnErrorStatusAndCloses() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            port = s.getLocalPort();
        }
        try (ForwardClient c = ForwardClient.open(lohar.forwardSocket())) {
            c.send(FrameType.FWD_REQ, Json.encode(new ForwardRequest(port)));

            Frame reply = c.reply();
            assertThat(reply.kind()).contains(FrameType.FWD_RESP);
            StatusReply status = Json.decode(reply.payload(), StatusReply.class);
            assertThat(status.status()).isEqualTo("error");
            assertThat(status.message()).startsWith("connect 127.0.0.1:" + port + ": ").containsIgnoringCase("refused");
            assertThat(c.awaitEnd(WAIT)).isTrue();
        }
    }

    @Test
    void malformedRequestJsonIsAnErrorFrameNamingTheProblem() throws Exception {
        try (ForwardClient c = ForwardClient.open(lohar.forwardSocket())) {
            c.send(FrameType.FWD_REQ, utf8("{\"port\": "));

            Frame reply = c.reply();
            assertThat(reply.kind()).contains(FrameType.ERROR);
            assertThat(reply.text()).contains("ForwardRequest");
        }
    }

    @Test
    void portOutOfRangeIsAnErrorFrame() throws Exception {
        try (ForwardClient c = ForwardClient.open(lohar.forwardSocket())) {
            c.send(FrameType.FWD_REQ, utf8("{\"port\": 70000}"));

            Frame reply = c.reply();
            assertThat(reply.kind()).contains(FrameType.ERROR);
            assertThat(reply.text()).contains("port must be between 1 and 65535");
        }
    }

    @Test
    void anotherFrameTypeOnTheForwardPortIsAnError() throws Exception {
        try (ForwardClient c = ForwardClient.open(lohar.forwardSocket())) {
            c.send(FrameType.EXEC_REQ, utf8("{\"argv\":[\"true\"]}"));

            Frame reply = c.reply();
            assertThat(reply.kind()).contains(FrameType.ERROR);
            assertThat(reply.text()).contains("FWD_REQ").contains("EXEC_REQ");
            assertThat(c.awaitEnd(WAIT)).isTrue();
        }
    }
}

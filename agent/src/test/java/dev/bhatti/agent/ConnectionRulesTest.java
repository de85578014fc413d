package dev.bhatti.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.proto.ActivityInfo;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.Payloads;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Auth, deadlines and the connection limit of SPEC §1.4, against a real lohar. */
class ConnectionRulesTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static LoharProcess lohar;

    @BeforeAll
    static void start() throws Exception {
        lohar = LoharProcess.start("--token", TOKEN, "--auth-timeout-ms", "1500", "--pending-timeout-ms", "1500",
                "--max-connections", "5");
    }

    @AfterAll
    static void stop() throws Exception {
        lohar.close();
    }

    private static AgentSocket authed() throws Exception {
        return AgentSocket.control(lohar).send(FrameType.AUTH, TOKEN.getBytes());
    }

    @Test
    void correctTokenThenRequestIsServed() throws Exception {
        try (AgentSocket s = authed()) {
            s.send(FrameType.ACTIVITY_REQ);
            assertThat(s.expectJson(FrameType.ACTIVITY_RESP, ActivityInfo.class).lastActivityUnix()).isPositive();
        }
    }

    @Test
    void wrongTokenIsRefusedWithAuthRequiredAndClosed() throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.send(FrameType.AUTH, "0123456789abcdef0123456789abcdeX".getBytes());
            assertThat(s.expectError()).isEqualTo("auth required");
            assertThat(s.closedByAgent(AgentSocket.WAIT)).isTrue();
        }
    }

    @Test
    void requestWithoutAuthIsRefused() throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.send(FrameType.ACTIVITY_REQ);
            assertThat(s.expectError()).isEqualTo("auth required");
            assertThat(s.closedByAgent(AgentSocket.WAIT)).isTrue();
        }
    }

    @Test
    void clockSetIsRefusedInTestModeSoTheHostClockIsNeverTouched() throws Exception {
        try (AgentSocket s = authed()) {
            s.send(FrameType.CLOCK_SET, Payloads.clock(0));
            assertThat(s.expectError()).startsWith("clock: ").contains("test mode");
        }
        assertThat(Instant.now()).isAfter(Instant.parse("2020-01-01T00:00:00Z"));
    }

    @Test
    void clockSetWithAShortPayloadIsABadRequest() throws Exception {
        try (AgentSocket s = authed()) {
            s.send(FrameType.CLOCK_SET, new byte[3]);
            assertThat(s.expectError()).contains("CLOCK_SET payload needs 8 bytes");
        }
    }

    @Test
    void silentConnectionIsClosedAfterTheAuthDeadline() throws Exception {
        long start = System.nanoTime();
        try (AgentSocket s = AgentSocket.control(lohar)) {
            assertThat(s.expectError()).isEqualTo("auth required");
            assertThat(s.closedByAgent(AgentSocket.WAIT)).isTrue();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(10));
    }

    @Test
    void forwardPortAlsoRequiresTheToken() throws Exception {
        try (AgentSocket s = AgentSocket.open(lohar.forwardSocket())) {
            s.sendJson(FrameType.FWD_REQ, new dev.bhatti.proto.ForwardRequest(9));
            assertThat(s.expectError()).isEqualTo("auth required");
        }
    }

    /** Slots come back asynchronously once lohar sees the close; poll with a deadline. */
    private static boolean slotFreedWithin(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (AgentSocket s = authed()) {
                s.send(FrameType.ACTIVITY_REQ);
                if (s.next().is(FrameType.ACTIVITY_RESP)) {
                    return true;
                }
            } catch (java.io.IOException refused) {
                // still over the limit: lohar answered and closed before our frames went out; try again
                assertThat(refused).hasMessageContaining("pipe");
            }
        }
        return false;
    }

    /** An authenticated connection running {@code cat}, proven served by one echoed line. */
    private static AgentSocket servedCat() throws Exception {
        AgentSocket s = authed().sendJson(FrameType.EXEC_REQ, dev.bhatti.proto.ExecRequest.of("cat")).stdin("up\n");
        assertThat(s.expect(FrameType.STDOUT).text()).isEqualTo("up\n");
        return s;
    }

    @Test
    void connectionBeyondTheLimitGetsConnectionLimitExceeded() throws Exception {
        List<AgentSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                held.add(servedCat());
            }
            // the five held connections are authenticated and served, so the 6th finds no slot; the
            // agent may refuse and close before our AUTH is written (a broken pipe), its answer stays readable
            try (AgentSocket extra = AgentSocket.control(lohar)) {
                try {
                    extra.send(FrameType.AUTH, TOKEN.getBytes());
                } catch (java.io.IOException refusedFirst) {
                    // read the refusal below
                }
                assertThat(extra.expectError()).isEqualTo("connection limit exceeded");
            }
        } finally {
            for (AgentSocket s : held) {
                s.close();
            }
        }
        assertThat(slotFreedWithin(Duration.ofSeconds(10))).as("slots are released when connections close").isTrue();
    }
}

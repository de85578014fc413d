package dev.bhatti.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.agent.files.Poll;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.Payloads;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RESTORED against a real lohar: the connections a snapshot's stop cut are closed at once, with
 * their execs, so their slots serve the restored guest's next requests (decision 0019).
 */
class RestoredFrameTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final int SLOTS = 3;
    private LoharProcess lohar;

    @BeforeEach
    void start() throws Exception {
        lohar = LoharProcess.start("--token", TOKEN, "--max-connections", String.valueOf(SLOTS));
    }

    @AfterEach
    void stop() throws Exception {
        lohar.close();
    }

    private AgentSocket authed() throws Exception {
        return AgentSocket.control(lohar).send(FrameType.AUTH, TOKEN.getBytes());
    }

    private static long sleepersWith(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> a.length > 0 && a[a.length - 1].equals(marker)).orElse(false))
                .count();
    }

    @Test
    void restoredClosesEveryEarlierConnectionKillsItsExecAndFreesItsSlot() throws Exception {
        String marker = String.valueOf(600_000 + ThreadLocalRandom.current().nextInt(100_000));
        List<AgentSocket> cut = new ArrayList<>();
        try {
            for (int i = 0; i < SLOTS - 1; i++) {
                AgentSocket s = authed();
                s.sendJson(FrameType.EXEC_REQ, ExecRequest.of("sleep", marker));
                cut.add(s);
            }
            assertThat(Poll.until(AgentSocket.WAIT, () -> sleepersWith(marker) == SLOTS - 1))
                    .as("execs running before RESTORED").isTrue();

            try (AgentSocket restored = authed()) {
                restored.send(FrameType.RESTORED, Payloads.clock(0));
                assertThat(Payloads.exit(restored.expect(FrameType.EXIT).payload())).isZero();
            }
            assertThat(sleepersWith(marker)).as("the cut connections' execs are gone when RESTORED answers").isZero();
            for (AgentSocket s : cut) {
                assertThat(s.closedByAgent(AgentSocket.WAIT)).as("an earlier connection is closed by the agent").isTrue();
            }
            assertThat(Instant.now()).as("test mode never sets the host's clock")
                    .isAfter(Instant.parse("2020-01-01T00:00:00Z"));

            List<AgentSocket> fresh = new ArrayList<>();
            try {
                for (int i = 0; i < SLOTS; i++) {
                    AgentSocket s = authed();
                    s.sendJson(FrameType.EXEC_REQ, ExecRequest.of("echo", "slot" + i));
                    fresh.add(s);
                }
                for (int i = 0; i < SLOTS; i++) {
                    assertThat(fresh.get(i).collect().stdout()).as("every slot serves again").isEqualTo("slot" + i + "\n");
                }
            } finally {
                for (AgentSocket s : fresh) {
                    s.close();
                }
            }
        } finally {
            for (AgentSocket s : cut) {
                s.close();
            }
        }
    }

    @Test
    void aConnectionAcceptedAfterTheRestoredOneIsLeftAlone() throws Exception {
        try (AgentSocket restored = authed(); AgentSocket later = authed()) {
            later.sendJson(FrameType.EXEC_REQ, ExecRequest.builder("/bin/sh", "-c", "sleep 0.5; echo kept").build());
            restored.send(FrameType.RESTORED, Payloads.clock(0));
            assertThat(Payloads.exit(restored.expect(FrameType.EXIT).payload())).isZero();
            AgentSocket.Result result = later.collect();
            assertThat(result.stdout()).isEqualTo("kept\n");
            assertThat(result.exitCode()).isZero();
        }
    }

    @Test
    void restoredWithAShortPayloadIsABadRequest() throws Exception {
        try (AgentSocket s = authed()) {
            s.send(FrameType.RESTORED, new byte[3]);
            assertThat(s.expectError()).contains("payload needs 8 bytes");
        }
    }
}

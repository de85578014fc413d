package dev.bhatti.agent.tty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.agent.AgentSocket;
import dev.bhatti.agent.LoharProcess;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.SessionInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Session limit, empty list and the init session, each on a fresh lohar. */
class SessionLimitsTest {

    @Test
    void listIsEmptyArrayWhenThereAreNoSessions() throws Exception {
        try (LoharProcess lohar = LoharProcess.start();
             AgentSocket s = AgentSocket.control(lohar).send(FrameType.EXEC_LIST_REQ)) {
            assertThat(s.expect(FrameType.EXEC_LIST_RESP).text()).isEqualTo("[]");
        }
    }

    @Test
    void sessionBeyondTheLimitIsRefused() throws Exception {
        try (LoharProcess lohar = LoharProcess.start("--max-sessions", "3")) {
            List<AgentSocket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    AgentSocket s = AgentSocket.control(lohar)
                            .sendJson(FrameType.EXEC_REQ, ExecRequest.builder("sleep", "3600").session().build());
                    s.expect(FrameType.SESSION_INFO);
                    open.add(s);
                }
                try (AgentSocket extra = AgentSocket.control(lohar)
                        .sendJson(FrameType.EXEC_REQ, ExecRequest.builder("sleep", "1").tty().build())) {
                    assertThat(extra.expectError()).isEqualTo("session limit reached (3)");
                }
            } finally {
                for (AgentSocket s : open) {
                    s.close();
                }
            }
        }
    }

    @Test
    void defaultSessionLimitIsTwenty() throws Exception {
        try (LoharProcess lohar = LoharProcess.start()) {
            for (int i = 0; i < 20; i++) {
                try (AgentSocket s = AgentSocket.control(lohar)
                        .sendJson(FrameType.EXEC_REQ, ExecRequest.builder("sleep", "3600").session().build())) {
                    s.expect(FrameType.SESSION_INFO);
                }
            }
            try (AgentSocket extra = AgentSocket.control(lohar)
                    .sendJson(FrameType.EXEC_REQ, ExecRequest.builder("sleep", "1").session().build())) {
                assertThat(extra.expectError()).isEqualTo("session limit reached (20)");
            }
        }
    }

    @Test
    void initScriptRunsAsTheInitSessionInTheWorkspace() throws Exception {
        try (LoharProcess lohar = LoharProcess.start("--init", "echo init-ran-in-$(pwd); exec sleep 3600")) {
            SessionInfo init = SessionProbe.awaitInfo(lohar, "init", SessionInfo::running);
            assertThat(init.attached()).isFalse();
            try (AgentSocket s = AgentSocket.control(lohar).sendJson(FrameType.EXEC_REQ, ExecRequest.attach("init").build())) {
                s.expect(FrameType.SESSION_INFO);
                assertThat(SessionProbe.outputUntil(s, "\n"))
                        .contains("init-ran-in-" + lohar.workspace().toRealPath());
            }
        }
    }
}

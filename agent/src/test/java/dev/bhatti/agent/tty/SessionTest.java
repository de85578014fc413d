package dev.bhatti.agent.tty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.agent.AgentSocket;
import dev.bhatti.agent.LoharProcess;
import dev.bhatti.proto.ActivityInfo;
import dev.bhatti.proto.ExecKillRequest;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.Payloads;
import dev.bhatti.proto.SessionInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TTY and piped sessions (SPEC §2.4) against a real lohar in test mode. */
class SessionTest {
    private static LoharProcess lohar;

    @BeforeAll
    static void start() throws Exception {
        lohar = LoharProcess.start("--exited-retention-ms", "1500", "--max-sessions", "100");
    }

    @AfterAll
    static void stop() throws Exception {
        lohar.close();
    }

    @AfterEach
    void killRunningSessions() throws Exception {
        SessionProbe.killRunning(lohar);
    }

    private static AgentSocket open(ExecRequest request) throws Exception {
        return SessionProbe.open(lohar, request);
    }

    @Test
    void ttySessionStartsWithSessionInfoAndRelaysIo() throws Exception {
        try (AgentSocket s = open(ExecRequest.builder("sh").tty(24, 80).build())) {
            SessionInfo info = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class);
            assertThat(info.sessionId()).matches("s\\d+");
            assertThat(info.tty()).isTrue();
            assertThat(info.attached()).isTrue();
            assertThat(info.running()).isTrue();
            s.stdin("echo $((6*7))\n");
            assertThat(SessionProbe.outputUntil(s, "42")).contains("42");
        }
    }

    @Test
    void childHasThePtyAsControllingTerminalAndResizeChangesItsSize() throws Exception {
        try (AgentSocket s = open(ExecRequest.builder("sh").tty(30, 100).build())) {
            s.expect(FrameType.SESSION_INFO);
            s.stdin("stty size; tty; (exec </dev/tty && echo ctty-$((20+22)))\n");
            assertThat(SessionProbe.outputUntil(s, "ctty-42")).contains("30 100").contains("/dev/pts/");
            s.send(FrameType.RESIZE, Payloads.resize(50, 132));
            s.stdin("stty size\n");
            assertThat(SessionProbe.outputUntil(s, "50 132")).contains("50 132");
        }
    }

    @Test
    void exitWithClientAttachedSendsExitAndRemovesTheSession() throws Exception {
        String id;
        try (AgentSocket s = open(ExecRequest.builder("sh", "-c", "read x; exit 7").tty().build())) {
            id = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class).sessionId();
            s.stdin("go\n");
            assertThat(SessionProbe.exitCode(s)).isEqualTo(7);
        }
        assertThat(SessionProbe.list(lohar)).extracting(SessionInfo::sessionId).doesNotContain(id);
    }

    @Test
    void detachedSessionKeepsRunningAndReplaysScrollbackBeforeLiveOutput() throws Exception {
        String id;
        Path counter = lohar.dir().resolve("ticks");
        try (AgentSocket s = open(ExecRequest.builder("sh", "-c", "i=0; while [ $i -lt 1000 ]; do echo tick-$i; "
                + "echo $i > " + counter + "; i=$((i+1)); sleep 0.05; done").session().build())) {
            id = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class).sessionId();
            SessionProbe.outputUntil(s, "tick-2\n");
        }
        SessionProbe.awaitInfo(lohar, id, info -> !info.attached());
        SessionProbe.awaitFile(counter, text -> !text.isBlank() && Integer.parseInt(text.strip()) >= 8);
        try (AgentSocket s = open(ExecRequest.attach(id).build())) {
            SessionInfo info = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class);
            assertThat(info.attached()).isTrue();
            Frame scrollback = s.expect(FrameType.STDOUT);
            assertThat(scrollback.text()).startsWith("tick-0\ntick-1\ntick-2\n");
            int lastInScrollback = SessionProbe.lastTick(scrollback.text());
            assertThat(lastInScrollback).as("kept running while detached").isGreaterThan(2);
            String live = SessionProbe.outputUntil(s, "tick-" + (lastInScrollback + 2) + "\n");
            assertThat(live).startsWith("tick-" + (lastInScrollback + 1) + "\n");
        }
    }

    @Test
    void attachingToAnUnknownSessionIsAnError() throws Exception {
        try (AgentSocket s = open(ExecRequest.attach("s99999").build())) {
            assertThat(s.expectError()).isEqualTo("session not found");
        }
    }

    @Test
    void ifDetachedRefusesWhileSomeoneIsAttached() throws Exception {
        try (AgentSocket first = open(ExecRequest.builder("sh").tty().build())) {
            String id = first.expectJson(FrameType.SESSION_INFO, SessionInfo.class).sessionId();
            try (AgentSocket second = open(ExecRequest.attach(id).ifDetached().build())) {
                assertThat(second.expectError()).isEqualTo("session is attached");
            }
            first.stdin("echo still-mine\n");
            assertThat(SessionProbe.outputUntil(first, "still-mine")).contains("still-mine");
        }
    }

    @Test
    void newAttachTakesOverAndThePreviousClientGetsExitZero() throws Exception {
        try (AgentSocket first = open(ExecRequest.builder("sh").tty().build())) {
            String id = first.expectJson(FrameType.SESSION_INFO, SessionInfo.class).sessionId();
            first.stdin("echo mark-one\n");
            SessionProbe.outputUntil(first, "mark-one\r\n");
            try (AgentSocket second = open(ExecRequest.attach(id).build())) {
                assertThat(SessionProbe.exitCode(first)).isZero();
                assertThat(first.closedByAgent(AgentSocket.WAIT)).isTrue();
                second.expect(FrameType.SESSION_INFO);
                assertThat(second.expect(FrameType.STDOUT).text()).contains("mark-one");
            }
        }
    }

    @Test
    void attachingToAnExitedSessionGivesInfoScrollbackAndExitThenItIsGone() throws Exception {
        String id;
        try (AgentSocket s = open(ExecRequest.builder("sh", "-c", "read x; echo bye; exit 5").session().build())) {
            id = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class).sessionId();
        }
        SessionProbe.awaitInfo(lohar, id, info -> !info.attached());
        try (AgentSocket poke = open(ExecRequest.attach(id).build())) {
            poke.expect(FrameType.SESSION_INFO);
            poke.stdin("x\n");
            assertThat(SessionProbe.exitCode(poke)).isEqualTo(5);
        }
        assertThat(SessionProbe.list(lohar)).extracting(SessionInfo::sessionId).doesNotContain(id);
        String detachedExit;
        try (AgentSocket s = open(ExecRequest.builder("sh", "-c", "sleep 0.3; echo late; exit 4").session().build())) {
            detachedExit = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class).sessionId();
        }
        SessionInfo exited = SessionProbe.awaitInfo(lohar, detachedExit, info -> !info.running());
        assertThat(exited.exitCode()).isEqualTo(4);
        try (AgentSocket late = open(ExecRequest.attach(detachedExit).build())) {
            assertThat(late.expectJson(FrameType.SESSION_INFO, SessionInfo.class).running()).isFalse();
            assertThat(late.expect(FrameType.STDOUT).text()).isEqualTo("late\n");
            assertThat(Payloads.exit(late.expect(FrameType.EXIT).payload())).isEqualTo(4);
        }
    }

    @Test
    void exitedDetachedSessionIsRemovedAfterTheRetentionPeriod() throws Exception {
        String id;
        try (AgentSocket s = open(ExecRequest.builder("sh", "-c", "sleep 0.2").session().build())) {
            id = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class).sessionId();
        }
        assertThat(SessionProbe.awaitInfo(lohar, id, info -> !info.running()).exitCode()).isZero();
        assertThat(SessionProbe.goneWithin(lohar, id, Duration.ofSeconds(15))).isTrue();
    }

    @Test
    void idleTimerKillsADetachedSession() throws Exception {
        String id;
        try (AgentSocket s = open(ExecRequest.builder("sleep", "3600").session().maxIdleSec(1).build())) {
            id = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class).sessionId();
        }
        SessionInfo info = SessionProbe.awaitInfo(lohar, id, i -> !i.running());
        assertThat(info.exitCode()).isEqualTo(137);
    }

    @Test
    void idleTimerDoesNotRunWhileAttached() throws Exception {
        try (AgentSocket s = open(ExecRequest.builder("sh").tty().maxIdleSec(1).build())) {
            s.expect(FrameType.SESSION_INFO);
            s.stdin("sleep 2; echo survived\n");
            assertThat(SessionProbe.outputUntil(s, "survived\r\n")).contains("survived");
        }
    }

    @Test
    void listShowsEverySessionWithJoinedArgv() throws Exception {
        try (AgentSocket a = open(ExecRequest.builder("sleep", "3600").session().build());
             AgentSocket b = open(ExecRequest.builder("sh").tty().build())) {
            String ida = a.expectJson(FrameType.SESSION_INFO, SessionInfo.class).sessionId();
            String idb = b.expectJson(FrameType.SESSION_INFO, SessionInfo.class).sessionId();
            List<SessionInfo> all = SessionProbe.list(lohar);
            assertThat(all).filteredOn(s -> s.sessionId().equals(ida)).singleElement()
                    .satisfies(s -> {
                        assertThat(s.argv()).isEqualTo("sleep 3600");
                        assertThat(s.tty()).isFalse();
                    });
            assertThat(all).filteredOn(s -> s.sessionId().equals(idb)).singleElement()
                    .satisfies(s -> assertThat(s.tty()).isTrue());
        }
    }

    @Test
    void execKillSigkillsTheSessionAndAnswersExitZero() throws Exception {
        String id;
        try (AgentSocket s = open(ExecRequest.builder("sleep", "3600").session().build())) {
            id = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class).sessionId();
        }
        try (AgentSocket k = AgentSocket.control(lohar).sendJson(FrameType.EXEC_KILL, new ExecKillRequest(id))) {
            assertThat(Payloads.exit(k.expect(FrameType.EXIT).payload())).isZero();
        }
        assertThat(SessionProbe.awaitInfo(lohar, id, i -> !i.running()).exitCode()).isEqualTo(137);
    }

    @Test
    void execKillOfUnknownSessionIsAnError() throws Exception {
        try (AgentSocket k = AgentSocket.control(lohar).sendJson(FrameType.EXEC_KILL, new ExecKillRequest("nope"))) {
            assertThat(k.expectError()).isEqualTo("session not found");
        }
    }

    @Test
    void killFrameSendsSigtermToTheSession() throws Exception {
        try (AgentSocket s = open(ExecRequest.builder("sleep", "3600").session().build())) {
            s.expect(FrameType.SESSION_INFO);
            s.send(FrameType.KILL);
            assertThat(SessionProbe.exitCode(s)).isEqualTo(143);
        }
    }

    @Test
    void pipedSessionMergesStderrAndKeepsStdinOpenAcrossReattach() throws Exception {
        String id;
        try (AgentSocket s = open(ExecRequest.builder("sh", "-c",
                "while read line; do echo out-$line; echo err-$line >&2; done").session().build())) {
            id = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class).sessionId();
            s.stdin("a\n");
            assertThat(SessionProbe.outputUntil(s, "err-a\n")).contains("out-a\n");
        }
        try (AgentSocket s = open(ExecRequest.attach(id).build())) {
            s.expect(FrameType.SESSION_INFO);
            s.expect(FrameType.STDOUT);
            s.stdin("b\n");
            assertThat(SessionProbe.outputUntil(s, "err-b\n")).contains("out-b\n");
            s.send(FrameType.STDIN, new byte[0]);
            assertThat(SessionProbe.exitCode(s)).isZero();
        }
    }

    @Test
    void sessionIdsCountUpAndAreNeverReused() throws Exception {
        String first;
        String second;
        try (AgentSocket s = open(ExecRequest.builder("true").session().build())) {
            first = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class).sessionId();
            SessionProbe.exitCode(s);
        }
        try (AgentSocket s = open(ExecRequest.builder("true").session().build())) {
            second = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class).sessionId();
        }
        assertThat(Integer.parseInt(second.substring(1))).isGreaterThan(Integer.parseInt(first.substring(1)));
    }

    @Test
    void activityCountsActiveAndAttachedSessions() throws Exception {
        try (AgentSocket attached = open(ExecRequest.builder("sh").tty().build())) {
            attached.expect(FrameType.SESSION_INFO);
            String detachedId;
            try (AgentSocket d = open(ExecRequest.builder("sleep", "3600").session().build())) {
                detachedId = d.expectJson(FrameType.SESSION_INFO, SessionInfo.class).sessionId();
            }
            SessionProbe.awaitInfo(lohar, detachedId, i -> !i.attached());
            try (AgentSocket q = AgentSocket.control(lohar).send(FrameType.ACTIVITY_REQ)) {
                ActivityInfo info = q.expectJson(FrameType.ACTIVITY_RESP, ActivityInfo.class);
                assertThat(info.activeSessions()).isEqualTo(2);
                assertThat(info.attachedSessions()).isEqualTo(1);
            }
        }
    }

    @Test
    void startFailureOfASessionIsAnErrorAndTakesNoSlot() throws Exception {
        int before = SessionProbe.list(lohar).size();
        try (AgentSocket s = open(ExecRequest.builder("no-such-program-abc").tty().build())) {
            assertThat(s.expectError()).startsWith("start: ");
        }
        assertThat(SessionProbe.list(lohar)).hasSize(before);
    }
}

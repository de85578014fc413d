package dev.bhatti.agent.tty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.agent.AgentSocket;
import dev.bhatti.agent.LoharProcess;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.Payloads;
import dev.bhatti.proto.SessionInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a client needs to follow a piped session across reconnects without losing or repeating a
 * byte (the E2B layer's processes): stderr apart, the guest pid, a replay from an output offset,
 * and a deadline.
 */
class SessionStreamsTest {
    private static LoharProcess lohar;

    @BeforeAll
    static void start() throws Exception {
        lohar = LoharProcess.start("--exited-retention-ms", "5000", "--max-sessions", "100");
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

    /** Reads frames until both streams hold their marker; answers "stdout|stderr". */
    private static String[] untilBoth(AgentSocket s, String out, String err) throws Exception {
        StringBuilder o = new StringBuilder();
        StringBuilder e = new StringBuilder();
        while (!o.toString().contains(out) || !e.toString().contains(err)) {
            Frame f = s.next();
            String text = new String(f.payload(), StandardCharsets.UTF_8);
            if (f.is(FrameType.STDOUT)) {
                o.append(text);
            } else if (f.is(FrameType.STDERR)) {
                e.append(text);
            } else {
                throw new AssertionError("got " + f + " " + f.text() + " after stdout=" + o + " stderr=" + e);
            }
        }
        return new String[] {o.toString(), e.toString()};
    }

    @Test
    void pipedSessionWithStderrApartSendsStderrFramesAndReplaysThemAsStderr() throws Exception {
        String id;
        try (AgentSocket s = open(ExecRequest.builder("sh", "-c",
                "while read line; do echo out-$line; echo err-$line >&2; done").session().stderrApart().build())) {
            id = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class).sessionId();
            s.stdin("a\n");
            String[] got = untilBoth(s, "out-a\n", "err-a\n");
            assertThat(got[0]).isEqualTo("out-a\n");
            assertThat(got[1]).isEqualTo("err-a\n");
        }
        try (AgentSocket s = open(ExecRequest.attach(id).build())) {
            s.expect(FrameType.SESSION_INFO);
            String[] replayed = untilBoth(s, "out-a\n", "err-a\n");
            assertThat(replayed[0]).doesNotContain("err");
            s.stdin("b\n");
            String[] live = untilBoth(s, "out-b\n", "err-b\n");
            assertThat(live[0]).isEqualTo("out-b\n");
            assertThat(live[1]).isEqualTo("err-b\n");
        }
    }

    @Test
    void reattachFromAnOutputOffsetReplaysOnlyWhatTheClientHasNotSeen() throws Exception {
        String id;
        long seen = 0;
        Path gate = lohar.dir().resolve("gate-" + System.nanoTime());
        Path printed = lohar.dir().resolve("printed-" + System.nanoTime());
        try (AgentSocket s = open(ExecRequest.builder("sh", "-c", "echo first; echo first-err >&2; "
                + "while [ ! -e " + gate + " ]; do sleep 0.05; done; echo second; echo second-err >&2; "
                + "touch " + printed + "; sleep 3600")
                .session().stderrApart().build())) {
            SessionInfo info = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class);
            id = info.sessionId();
            assertThat(info.replayFrom()).isZero();
            String[] got = untilBoth(s, "first\n", "first-err\n");
            seen = got[0].length() + got[1].length();
        }
        SessionProbe.awaitInfo(lohar, id, i -> !i.attached());
        Files.writeString(gate, "go");
        SessionProbe.awaitFile(printed, text -> true); // the output landed while nobody was attached
        try (AgentSocket s = open(ExecRequest.attach(id).outputFrom(seen).build())) {
            SessionInfo info = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class);
            assertThat(info.replayFrom()).isEqualTo(seen);
            String[] got = untilBoth(s, "second\n", "second-err\n");
            assertThat(got[0]).as("nothing seen before is sent again").isEqualTo("second\n");
            assertThat(got[1]).isEqualTo("second-err\n");
        }
    }

    @Test
    void sessionInfoNamesTheGuestPidOfTheProcess() throws Exception {
        try (AgentSocket s = open(ExecRequest.builder("sh", "-c", "echo $$; sleep 3600").session().build())) {
            SessionInfo info = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class);
            assertThat(info.pid()).isNotNull();
            assertThat(SessionProbe.outputUntil(s, "\n").strip()).isEqualTo(String.valueOf(info.pid()));
            assertThat(SessionProbe.list(lohar)).filteredOn(i -> i.sessionId().equals(info.sessionId()))
                    .singleElement().satisfies(i -> assertThat(i.pid()).isEqualTo(info.pid()));
        }
    }

    @Test
    void aSessionsLabelComesBackInItsInfoAndInTheList() throws Exception {
        try (AgentSocket s = open(ExecRequest.builder("sleep", "3600").session().label("e2b {\"tag\":\"t1\"}").build())) {
            SessionInfo info = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class);
            assertThat(info.label()).isEqualTo("e2b {\"tag\":\"t1\"}");
            assertThat(SessionProbe.list(lohar)).filteredOn(i -> i.sessionId().equals(info.sessionId()))
                    .singleElement().satisfies(i -> assertThat(i.label()).isEqualTo(info.label()));
        }
        try (AgentSocket s = open(ExecRequest.builder("sleep", "3600").tty().build())) {
            assertThat(s.expectJson(FrameType.SESSION_INFO, SessionInfo.class).label()).isNull();
        }
    }

    @Test
    void timeoutSecKillsASessionEvenWhileNobodyIsAttached() throws Exception {
        String id;
        try (AgentSocket s = open(ExecRequest.builder("sleep", "3600").session().timeoutSec(1).build())) {
            id = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class).sessionId();
        }
        assertThat(SessionProbe.awaitInfo(lohar, id, i -> !i.running()).exitCode()).isEqualTo(137);
        try (AgentSocket s = open(ExecRequest.builder("sh", "-c", "echo quick").session().timeoutSec(30).build())) {
            s.expect(FrameType.SESSION_INFO);
            assertThat(SessionProbe.exitCode(s)).as("a deadline not reached changes nothing").isZero();
        }
    }

    @Test
    void attachToAnExitedStderrApartSessionGetsEachStreamThenExit() throws Exception {
        String id;
        try (AgentSocket s = open(ExecRequest.builder("sh", "-c", "sleep 0.5; echo o; echo e >&2; exit 3")
                .session().stderrApart().build())) {
            id = s.expectJson(FrameType.SESSION_INFO, SessionInfo.class).sessionId();
        }
        SessionProbe.awaitInfo(lohar, id, i -> !i.running());
        try (AgentSocket s = open(ExecRequest.attach(id).build())) {
            s.expect(FrameType.SESSION_INFO);
            untilBoth(s, "o\n", "e\n");
            assertThat(Payloads.exit(s.expect(FrameType.EXIT).payload())).isEqualTo(3);
        }
    }
}

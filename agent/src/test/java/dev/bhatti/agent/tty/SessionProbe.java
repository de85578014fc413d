package dev.bhatti.agent.tty;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.bhatti.agent.AgentSocket;
import dev.bhatti.agent.LoharProcess;
import dev.bhatti.proto.ExecKillRequest;
import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.Json;
import dev.bhatti.proto.Payloads;
import dev.bhatti.proto.SessionInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Session helpers for agent tests: list, kill, read until, poll with deadlines. */
public final class SessionProbe {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Pattern TICK = Pattern.compile("tick-(\\d+)\n");

    private SessionProbe() {}

    static List<SessionInfo> list(LoharProcess lohar) throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar).send(FrameType.EXEC_LIST_REQ)) {
            return Json.decode(s.expect(FrameType.EXEC_LIST_RESP).payload(), new TypeReference<>() {}, "session list");
        }
    }

    /** Starts or attaches: sends the EXEC_REQ on a new control connection. */
    static AgentSocket open(LoharProcess lohar, dev.bhatti.proto.ExecRequest request) throws Exception {
        return AgentSocket.control(lohar).sendJson(FrameType.EXEC_REQ, request);
    }

    /** Kills every running session (a test's cleanup). */
    static void killRunning(LoharProcess lohar) throws Exception {
        for (SessionInfo s : list(lohar)) {
            if (s.running()) {
                kill(lohar, s.sessionId());
            }
        }
    }

    static void kill(LoharProcess lohar, String id) throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar).sendJson(FrameType.EXEC_KILL, new ExecKillRequest(id))) {
            s.next();
        }
    }

    /** Collects STDOUT until the text contains {@code marker}; fails on EXIT, ERROR or close. */
    public static String outputUntil(AgentSocket s, String marker) throws Exception {
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains(marker)) {
            Frame f = s.next();
            if (!f.is(FrameType.STDOUT)) {
                throw new AssertionError("waiting for " + marker + " got " + f + " " + f.text() + " after: " + seen);
            }
            seen.append(new String(f.payload(), StandardCharsets.UTF_8));
        }
        return seen.toString();
    }

    /** Skips output until EXIT and returns its code. */
    static int exitCode(AgentSocket s) throws Exception {
        for (Frame f = s.next(); ; f = s.next()) {
            if (f.is(FrameType.EXIT)) {
                return Payloads.exit(f.payload());
            }
            if (!f.is(FrameType.STDOUT)) {
                throw new AssertionError("waiting for EXIT got " + f + " " + f.text());
            }
        }
    }

    /** Polls the session list until the session satisfies {@code condition}. */
    static SessionInfo awaitInfo(LoharProcess lohar, String id, Predicate<SessionInfo> condition) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        Optional<SessionInfo> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            last = list(lohar).stream().filter(s -> s.sessionId().equals(id)).findFirst();
            if (last.isPresent() && condition.test(last.get())) {
                return last.get();
            }
            LockSupport.parkNanos(20_000_000);
        }
        throw new AssertionError("session " + id + " never reached the expected state; last seen " + last);
    }

    /** Polls a file until its content satisfies {@code condition}. */
    static void awaitFile(Path file, Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && condition.test(Files.readString(file))) {
                return;
            }
            LockSupport.parkNanos(20_000_000);
        }
        throw new AssertionError(file + " never reached the expected content");
    }

    static boolean goneWithin(LoharProcess lohar, String id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (list(lohar).stream().noneMatch(s -> s.sessionId().equals(id))) {
                return true;
            }
            LockSupport.parkNanos(50_000_000);
        }
        return false;
    }

    static int lastTick(String text) {
        Matcher m = TICK.matcher(text);
        int last = -1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }
}

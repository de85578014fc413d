package dev.bhatti.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.cli.CliFixture.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code bhatti shell} through a real pseudo-terminal: the real launcher runs in a tmux pane
 * against a real daemon and VM; the test types keys and reads the screen. Each pane runs
 * {@code sh -c 'bhatti shell ...; echo EXIT=$?; ...'} so the exit code and whether the terminal
 * settings came back unchanged stay on the screen after bhatti ends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShellIT {
    private static final String SANDBOX = "shelltest";
    private static final Duration SHELL_START = Duration.ofSeconds(90);
    private static final Duration OUTPUT = Duration.ofSeconds(30);
    private static final Pattern PROMPT = Pattern.compile("(?m)[$#]\\s*\\z");
    private static final Pattern SESSION_ROW = Pattern.compile("(?m)^(s\\d+)\\s.*\\s(yes|no)\\s+(yes|no)\\s*$");

    private static CliFixture fx;
    private static Tmux tmux;

    @BeforeAll
    static void startDaemonAndSandbox() throws Exception {
        fx = new CliFixture();
        tmux = new Tmux(fx.dir.resolve("tmux.sock"), Map.of("BHATTI_JAVA_OPTS", "-Duser.home=" + fx.dir));
        Run created = fx.bhatti("create", "--name", SANDBOX);
        assertThat(created.exit()).as(created.err()).isZero();
    }

    @AfterAll
    static void stopEverything() {
        try {
            if (tmux != null) {
                tmux.close();
            }
        } finally {
            if (fx != null) {
                fx.close();
            }
        }
    }

    /** A pane running {@code bhatti shell SANDBOX extra...}, then its exit code and the terminal check. */
    private static void openShell(String pane, String... extra) {
        String shell = String.join(" ", List.of(CliFixture.LAUNCHER.toString(), "shell", "--url", fx.url(),
                "--token", fx.token, SANDBOX)) + " " + String.join(" ", extra);
        String script = "B=$(stty -g); " + shell + "; echo EXIT=$?; "
                + "[ \"$(stty -g)\" = \"$B\" ] && echo TERMINAL=restored || echo TERMINAL=changed; exec sleep 600";
        tmux.start(pane, 100, 30, "sh", "-c", script);
    }

    private static String awaitPrompt(String pane) {
        return tmux.await(pane, SHELL_START, "a shell prompt", s -> PROMPT.matcher(s.strip()).find());
    }

    private static String awaitLine(String pane, String line) {
        return tmux.await(pane, OUTPUT, "the line '" + line + "'",
                s -> s.lines().anyMatch(l -> l.strip().equals(line)));
    }

    /** A row of {@code bhatti ps}. */
    private record Session(String id, boolean running, boolean attached) {}

    private static List<Session> sessions() throws Exception {
        Run ps = fx.bhatti("ps", SANDBOX);
        assertThat(ps.exit()).as(ps.err()).isZero();
        return SESSION_ROW.matcher(ps.out()).results()
                .map(m -> new Session(m.group(1), m.group(2).equals("yes"), m.group(3).equals("yes"))).toList();
    }

    @Test
    @Order(1)
    void unknownSandboxIsAnErrorWithTheListHint() throws Exception {
        Run r = fx.bhatti("shell", "no-such-sandbox");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("Error: ").contains("no-such-sandbox")
                .contains("'bhatti list' shows your sandboxes");
    }

    @Test
    @Order(2)
    void typedCommandRunsInTheSandbox() {
        openShell("one");
        awaitPrompt("one");
        tmux.typeLine("one", "echo hi-$((6*7))");
        awaitLine("one", "hi-42");
    }

    @Test
    @Order(3)
    void remoteSizeFollowsThePaneAndItsResizes() {
        String initial = tmux.size("one");
        assertThat(initial).isEqualTo("30 100");
        tmux.typeLine("one", "stty size");
        awaitLine("one", initial);

        tmux.resize("one", 120, 40);
        String resized = tmux.size("one");
        assertThat(resized).isEqualTo("40 120");
        tmux.typeLine("one", "stty size");
        awaitLine("one", resized);
    }

    @Test
    @Order(4)
    void ctrlBackslashDetachesWithExitZeroAndTheSessionKeepsRunning() throws Exception {
        tmux.keys("one", "C-\\");
        String screen = tmux.await("one", OUTPUT, "bhatti to end", s -> s.contains("TERMINAL="));
        assertThat(screen).contains("detached from session s").contains("reattach with: bhatti shell " + SANDBOX)
                .contains("EXIT=0").contains("TERMINAL=restored");
        assertThat(sessions()).singleElement().satisfies(s -> {
            assertThat(s.running()).as("running").isTrue();
            assertThat(s.attached()).as("attached").isFalse();
        });
    }

    @Test
    @Order(5)
    void newStartsASecondSessionInsteadOfReattaching() throws Exception {
        String detached = sessions().getFirst().id();
        openShell("two", "--new");
        awaitPrompt("two");
        tmux.typeLine("two", "echo fresh-$((3+4))");
        assertThat(awaitLine("two", "fresh-7")).as("no scrollback replayed").doesNotContain("hi-42");
        assertThat(sessions()).hasSize(2).filteredOn(Session::attached).singleElement()
                .satisfies(s -> assertThat(s.id()).isNotEqualTo(detached));
    }

    @Test
    @Order(6)
    void reattachReplaysTheScrollbackAndTypingWorksAgain() throws Exception {
        openShell("three");
        awaitLine("three", "hi-42");
        tmux.typeLine("three", "echo again-$((5+5))");
        awaitLine("three", "again-10");
        assertThat(sessions()).hasSize(2).allMatch(s -> s.running() && s.attached(), "running and attached");
    }

    @Test
    @Order(7)
    void exitingTheShellEndsBhattiWithExitZero() throws Exception {
        for (String pane : List.of("two", "three")) {
            tmux.typeLine(pane, "exit");
            String screen = tmux.await(pane, OUTPUT, "bhatti to end", s -> s.contains("TERMINAL="));
            assertThat(screen).contains("EXIT=0").contains("TERMINAL=restored").doesNotContain("detached from");
        }
        assertThat(sessions()).noneMatch(Session::running);
    }

    @Test
    @Order(8)
    void withoutATerminalAScriptRunsUntilItsExit() throws Exception {
        Path script = fx.dir.resolve("script.txt");
        Files.writeString(script, "echo piped-$((2+3))\nexit\n");
        Run r = fx.run(script, fx.token, "shell", SANDBOX, "--new");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("piped-5");
    }

    @Test
    @Order(9)
    void daemonGoingAwayIsALostConnectionWithExitOne() {
        openShell("four");
        awaitPrompt("four");
        fx.daemon.close();
        String screen = tmux.await("four", OUTPUT, "bhatti to end", s -> s.contains("TERMINAL="));
        assertThat(screen).contains("Error: connection lost: ").contains("reattach with: bhatti shell " + SANDBOX)
                .contains("EXIT=1").contains("TERMINAL=restored");
    }
}

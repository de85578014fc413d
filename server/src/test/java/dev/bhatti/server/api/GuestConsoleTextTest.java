package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bhatti.sdk.Raw;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The guest writes its serial console: a line it prints there must never reach the daemon's log
 * or an API message as a line of its own. A real VM prints a forged log line, its QEMU is killed,
 * and both the API error and every log event show that text escaped, quoted, on one line.
 */
class GuestConsoleTextTest {
    private static final String FORGED = "FAKE event=admin_login";

    @Test
    void guestConsoleTextIsEscapedOnOneLineInTheLogAndTheApiErrorAfterItsVmmDies() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        try (DaemonFixture fx = new DaemonFixture()) {
            String key = fx.adminKey;
            Raw.Response created = fx.post(key, "/sandboxes", "{\"name\":\"noisy\"}");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String id = (String) SandboxApiTest.json(created.text()).get("id");
            Raw.Response printed = fx.post(key, "/sandboxes/noisy/exec", "{\"cmd\":[\"sudo\",\"sh\",\"-c\","
                    + "\"printf 'x\\\\n" + FORGED + "\\\\n\\\\033[31mred\\\\n' > /dev/console\"]}");
            assertThat(printed.status()).as(printed.text()).isEqualTo(200);
            assertThat(SandboxApiTest.json(printed.text())).as(printed.text()).containsEntry("exit_code", 0);
            Path sandboxDir = fx.daemon.config().dataDir().resolve("sandboxes").resolve(id);
            Path serial = sandboxDir.resolve("serial.log");
            poll("serial.log showing the forged line", Duration.ofSeconds(30),
                    () -> Files.exists(serial) ? Files.readString(serial, StandardCharsets.ISO_8859_1) : "", t -> t.contains(FORGED));
            killVmm(sandboxDir);

            // until the daemon notices the death, a request may still try the agent's closed port
            Raw.Response failed = poll("a 409 sandbox_failed answer after the VMM was killed", Duration.ofSeconds(30),
                    () -> fx.post(key, "/sandboxes/noisy/exec", "{\"cmd\":[\"true\"]}"),
                    r -> r.text().contains("\"sandbox_failed\""));
            String error = (String) SandboxApiTest.json(failed.text()).get("error");
            assertThat(error).as(failed.text()).contains("guest_console=\"").contains("\\n" + FORGED)
                    .doesNotContain("\n").doesNotContain("\u001b").contains("\\x1b[31mred");

            List<String> mentions = poll("a logged event mentioning the forged text", Duration.ofSeconds(20),
                    () -> List.copyOf(logs.list).stream().map(GuestConsoleTextTest::render).filter(t -> t.contains(FORGED)).toList(),
                    found -> !found.isEmpty());
            assertThat(mentions).isNotEmpty().allSatisfy(line -> assertThat(line)
                    .doesNotContain("\n").doesNotContain("\r").doesNotContain("\u001b")
                    .contains("guest_console=\"").contains("\\n" + FORGED));
        } finally {
            root.detachAppender(logs);
        }
    }

    /** Kills the sandbox's QEMU, found by its QMP socket path under the sandbox dir, and waits for it. */
    private static void killVmm(Path sandboxDir) throws Exception {
        String socket = sandboxDir.resolve("qmp.sock").toString();
        List<ProcessHandle> vmm = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(socket)).orElse(false)).toList();
        assertThat(vmm).as("the VMM of " + sandboxDir).hasSize(1);
        vmm.getFirst().destroyForcibly();
        vmm.getFirst().onExit().get(30, TimeUnit.SECONDS);
    }

    /** The first answer of {@code probe} that is {@code done}, asked every 100 ms; fails with the last one at the deadline. */
    private static <T> T poll(String what, Duration within, Callable<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        T last = probe.call();
        while (!done.test(last)) {
            assertThat(System.nanoTime() - deadline).as("no " + what + " within " + within + "; last: " + last).isNegative();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            last = probe.call();
        }
        return last;
    }

    /** The event's message and the messages of its exception chain, raw (as a log file would show them). */
    private static String render(ILoggingEvent e) {
        StringBuilder out = new StringBuilder(e.getFormattedMessage());
        for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
            out.append(" | ").append(t.getMessage());
        }
        return out.toString();
    }
}

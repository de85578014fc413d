package dev.bhatti.agent.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The child's signal state must not depend on the spawning JVM thread: the test first makes the
 * calling thread block SIGINT and SIGPWR and the process ignore SIGPWR, checks that took effect,
 * and then expects a clean slate in the child.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SignalStateTest {
    private static final String NONE = "0000000000000000";

    private final Children children = new Children();

    @AfterEach
    void reap() throws IOException {
        children.close();
    }

    @Test
    void theChildStartsWithAnEmptySignalMaskAndDefaultDispositions() throws Throwable {
        Map<String, String> child;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment previousMask = TestLibc.block(arena, Signals.INT, TestLibc.SIGPWR);
            MemorySegment previousAction = TestLibc.ignore(arena, TestLibc.SIGPWR);
            try {
                Map<String, String> spawningThread = signalLines(Files.readString(Path.of("/proc/thread-self/status")));
                assertThat(spawningThread.get("SigBlk")).as("the test thread blocks signals").isNotEqualTo(NONE);
                assertThat(spawningThread.get("SigIgn")).as("the JVM ignores SIGPWR").isNotEqualTo(NONE);
                child = signalLines(childStatus());
            } finally {
                TestLibc.restoreAction(TestLibc.SIGPWR, previousAction);
                TestLibc.restoreMask(previousMask);
            }
        }
        assertThat(child.get("SigBlk")).isEqualTo(NONE);
        assertThat(child.get("SigIgn")).isEqualTo(NONE);
    }

    /** /proc/self/status as seen by grep itself, spawned on the calling thread. */
    private String childStatus() throws IOException {
        try (Pipe out = Pipe.open()) {
            Child grep = children.spawn(List.of("/bin/grep", "^Sig", "/proc/self/status"),
                    new FdAction.Dup(out.writeEnd(), 1));
            out.writeEnd().close();
            String status = Io.readAll(out.readEnd());
            assertThat(grep.waitFor()).isZero();
            return status;
        }
    }

    private static Map<String, String> signalLines(String status) {
        return status.lines().filter(line -> line.startsWith("Sig"))
                .map(line -> line.split(":\\s*", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1].trim()));
    }
}

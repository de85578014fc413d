package dev.bhatti.agent.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A coarse guard against leaks and slow paths: not a benchmark, only a generous bound. */
class SpawnRepetitionTest {
    private static final int SPAWNS = 200;

    private final Children children = new Children();

    @AfterEach
    void reap() throws IOException {
        children.close();
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void twoHundredSequentialSpawnsAllSucceedWithoutLeakingDescriptors() throws Exception {
        long fdsBefore = openDescriptorCount();
        SpawnRequest request = new SpawnRequest(Path.of("/bin/true"), List.of("true"), List.of(), null, List.of(), false);
        for (int i = 0; i < SPAWNS; i++) {
            assertThat(children.spawn(request).waitFor()).as("spawn #%d", i).isZero();
        }
        assertThat(openDescriptorCount()).isLessThanOrEqualTo(fdsBefore + 5); // slack for JVM-internal files
    }

    private static long openDescriptorCount() throws IOException {
        try (var fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}

package dev.bhatti.agent.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.agent.LoharProcess;
import dev.bhatti.proto.FrameType;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC §2.6 for files: reads and writes update last_activity_unix, stat and ls do not. The
 * value is in seconds, so each check first waits until the wall clock has moved past the
 * last recorded second; an update then necessarily shows as an increase.
 */
class FileActivityTest {
    private static LoharProcess lohar;
    private static FileClient client;

    @BeforeAll
    static void start() throws Exception {
        lohar = LoharProcess.start();
        client = new FileClient(lohar);
        Files.writeString(lohar.workspace().resolve("watched.txt"), "data");
    }

    @AfterAll
    static void stop() throws Exception {
        lohar.close();
    }

    private static long lastActivity() throws Exception {
        return client.activity().lastActivityUnix();
    }

    private static void awaitNextSecondAfter(long second) throws Exception {
        assertThat(Poll.until(Duration.ofSeconds(3), () -> System.currentTimeMillis() / 1000 > second)).isTrue();
    }

    @Test
    void readsAndWritesCountAsActivityButStatAndListDoNot() throws Exception {
        client.read("watched.txt");
        long afterRead = lastActivity();
        awaitNextSecondAfter(afterRead);

        client.stat("watched.txt");
        client.ls(".");
        assertThat(lastActivity()).as("after stat and ls").isEqualTo(afterRead);

        client.read("watched.txt");
        long afterSecondRead = lastActivity();
        assertThat(afterSecondRead).as("after a read").isGreaterThan(afterRead);
        awaitNextSecondAfter(afterSecondRead);

        client.write("written.txt", "more");
        assertThat(lastActivity()).as("after a write").isGreaterThan(afterSecondRead);
    }

    @Test
    void failedStatAndListDoNotCountAsActivityEither() throws Exception {
        client.read("watched.txt");
        long before = lastActivity();
        awaitNextSecondAfter(before);

        client.error(FrameType.FILE_STAT_REQ, "missing");
        client.error(FrameType.FILE_LS_REQ, "watched.txt");

        assertThat(lastActivity()).isEqualTo(before);
    }
}

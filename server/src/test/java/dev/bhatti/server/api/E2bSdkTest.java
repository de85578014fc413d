package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.server.store.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The E2B-compatible API driven by the unmodified {@code e2b} npm SDK (pinned in e2b/package.json,
 * installed by scripts/setup): {@code node --test} over the suite in {@code e2b/test} against a
 * real daemon with real VMs, as the admin with a second user for isolation. Its TAP output is
 * kept in {@code server/target/e2b-node.log}.
 */
class E2bSdkTest {
    static final Path SUITE = Path.of("..", "e2b").toAbsolutePath().normalize();
    /** The suite's files, all of them; {@code -Dbhatti.e2b.files=...} runs a chosen few. */
    static final List<String> FILES = List.of(System.getProperty("bhatti.e2b.files", "test/lifecycle.test.mjs,"
            + "test/commands.test.mjs,test/files.test.mjs,test/pty.test.mjs,test/isolation.test.mjs,test/timeout.test.mjs,"
            + "test/pause.test.mjs,test/copies.test.mjs,test/git.test.mjs").split(","));
    private static DaemonFixture fx;
    private static String other;

    @BeforeAll
    static void start() throws Exception {
        fx = new DaemonFixture();
        other = fx.newUser("e2b-other", Limits.DEFAULT);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void theUnmodifiedE2bSdkPassesTheNodeSuiteAgainstThisDaemon() throws Exception {
        assertThat(SUITE.resolve("node_modules/e2b/package.json")).as("scripts/setup installs the SDK (npm ci in e2b/)").exists();
        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-concurrency=1", "--test-reporter=spec"));
        command.addAll(FILES);
        Path log = Path.of("target", "e2b-node.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).directory(SUITE.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("E2B_API_URL", fx.url() + "/e2b/api");
        pb.environment().put("E2B_SANDBOX_URL", fx.url() + "/e2b/envd");
        pb.environment().put("E2B_API_KEY", fx.adminKey);
        pb.environment().put("BHATTI_OTHER_KEY", other);
        pb.environment().put("BHATTI_URL", fx.url());
        pb.environment().remove("E2B_DOMAIN");
        pb.environment().remove("E2B_DEBUG");
        Process p = pb.start();
        boolean done = p.waitFor(20, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(log);
        System.out.println(out);
        assertThat(done).as("the suite ended within 20 minutes").isTrue();
        assertThat(p.exitValue()).as("node --test exit code; its output:\n" + out).isZero();
        assertThat(out).contains("ℹ fail 0").doesNotContain("ℹ pass 0");
    }
}

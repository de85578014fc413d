package dev.bhatti.agent.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bhatti.agent.LoharProcess;
import dev.bhatti.agent.posix.Posix;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Written files belong to the configured owner (lohar, uid 1000, in the guest). Needs root to chown. */
class FileOwnerTest {

    @Test
    void writtenFileAndCreatedParentsBelongToTheOwner() throws Exception {
        assumeTrue(Posix.effectiveUid() == 0, "chown to another user needs root");
        try (LoharProcess lohar = LoharProcess.start("--owner", "1000:1000")) {
            new FileClient(lohar).write("deep/dir/owned.txt", "mine\n");
            Path file = lohar.workspace().resolve("deep/dir/owned.txt");
            assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(1000);
            assertThat(Files.getAttribute(file, "unix:gid")).isEqualTo(1000);
            assertThat(Files.getAttribute(file.getParent(), "unix:uid")).isEqualTo(1000);
        }
    }
}

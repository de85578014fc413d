package dev.bhatti.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.agent.LoharProcess;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.IdentityRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link AgentClient#assumeIdentity} against a real lohar: the old client's token opens nothing afterwards. */
class ClientIdentityTest {
    private static final String SNAPSHOT_TOKEN = "00112233445566778899aabbccddeeff";
    private static final String OWN_TOKEN = "ffeeddccbbaa99887766554433221100";

    @Test
    void aClientWithTheNewTokenIsServedAndTheOldOneIsRefused() throws Exception {
        Path root = Files.createTempDirectory("client-identity-");
        try (LoharProcess lohar = LoharProcess.start("--token", SNAPSHOT_TOKEN, "--identity-root",
                root.toString());
             AgentClient snapshot = Agents.client(lohar, Optional.of(SNAPSHOT_TOKEN));
             AgentClient own = Agents.client(lohar, Optional.of(OWN_TOKEN))) {
            snapshot.waitReady(Agents.WAIT);
            snapshot.assumeIdentity(new IdentityRequest(OWN_TOKEN, "sb-0000000000aa", "own", "ab".repeat(16),
                    Map.of("WHO", "own"), Map.of(), null, List.of(), Base64.getEncoder().encodeToString(new byte[32]), null,
                    List.of(), null));
            assertThat(own.exec(ExecRequest.of("/bin/sh", "-c", "echo $WHO")).stdout()).isEqualTo("own\n");
            assertThatThrownBy(snapshot::activity).isInstanceOf(AgentException.class).hasMessage("auth required");
            assertThat(Files.readString(root.resolve("etc/hostname"))).isEqualTo("own\n");
        } finally {
            try (var all = Files.walk(root)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

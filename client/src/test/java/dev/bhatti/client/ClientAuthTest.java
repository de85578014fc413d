package dev.bhatti.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.agent.LoharProcess;
import dev.bhatti.proto.ExecRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Token auth (SPEC §1.4) from the client side, against a real lohar started with a token. */
class ClientAuthTest {
    private static final String TOKEN = "00112233445566778899aabbccddeeff";
    private static LoharProcess lohar;

    @BeforeAll
    static void start() throws Exception {
        lohar = LoharProcess.start("--token", TOKEN);
    }

    @AfterAll
    static void stop() throws Exception {
        lohar.close();
    }

    @Test
    void clientWithTheRightTokenIsServed() throws Exception {
        try (AgentClient client = Agents.client(lohar, Optional.of(TOKEN))) {
            client.waitReady(Agents.WAIT);
            assertThat(client.exec(ExecRequest.of("echo", "authed")).stdout()).isEqualTo("authed\n");
            assertThat(client.sessions()).isEmpty();
        }
    }

    @Test
    void setClockIsRefusedByAnAgentOutsideAGuest() throws Exception {
        try (AgentClient client = Agents.client(lohar, Optional.of(TOKEN))) {
            assertThatThrownBy(() -> client.setClock(Instant.EPOCH))
                    .isInstanceOf(AgentException.class).hasMessageContaining("test mode");
        }
    }

    @Test
    void clientWithoutATokenIsRefusedWithAuthRequired() throws Exception {
        try (AgentClient client = Agents.client(lohar)) {
            assertThatThrownBy(() -> client.exec(ExecRequest.of("true")))
                    .isInstanceOf(AgentException.class).hasMessage("auth required");
            assertThatThrownBy(client::activity).isInstanceOf(AgentException.class).hasMessage("auth required");
        }
    }

    @Test
    void clientWithAWrongTokenIsRefusedWithAuthRequired() throws Exception {
        try (AgentClient client = Agents.client(lohar, Optional.of("ffeeddccbbaa99887766554433221100"))) {
            assertThatThrownBy(() -> client.exec(ExecRequest.of("true")))
                    .isInstanceOf(AgentException.class).hasMessage("auth required");
        }
    }

    @Test
    void waitReadyReportsARefusalAtOnceInsteadOfRetrying() throws Exception {
        try (AgentClient client = Agents.client(lohar, Optional.of("wrong"))) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> client.waitReady(Agents.WAIT))
                    .isInstanceOf(AgentException.class).hasMessage("auth required");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }
}

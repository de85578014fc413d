package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.client.AgentException;
import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.Thermal;
import dev.bhatti.server.secrets.SecretBoxException;
import dev.bhatti.server.store.StoreException;
import dev.bhatti.server.users.UserException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Each failure type becomes one code; the code's family is the status. */
class ErrorResponsesTest {
    private static ErrorCode code(Exception e) {
        return ErrorResponses.of(e, null).code();
    }

    @Test
    void domainFailuresKeepTheirCodes() {
        assertThat(code(new EngineException.NotFound("sb-1"))).isEqualTo(ErrorCode.SANDBOX_NOT_FOUND);
        assertThat(code(new EngineException.NotHot("sb-1", Thermal.WARM))).isEqualTo(ErrorCode.SANDBOX_NOT_HOT);
        assertThat(code(new EngineException.VmmDied("sb-1", "exit 9"))).isEqualTo(ErrorCode.SANDBOX_FAILED);
        assertThat(code(new EngineException.InvalidSpec("bad"))).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(code(new StoreException.AliasConflict("a"))).isEqualTo(ErrorCode.ALIAS_CONFLICT);
        assertThat(code(new UserException.NotFound("bob"))).isEqualTo(ErrorCode.USER_NOT_FOUND);
        assertThat(ErrorResponses.of(new EngineException.VmmFailed("qemu died\nlog tail", null), null).getMessage())
                .isEqualTo("qemu died");
    }

    @Test
    void agentErrorsAreMappedByKind() {
        assertThat(code(new AgentException("/x: no such file or directory"))).isEqualTo(ErrorCode.FILE_NOT_FOUND);
        assertThat(code(new AgentException("session not found"))).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
        assertThat(code(new AgentException("session is attached"))).isEqualTo(ErrorCode.SESSION_ATTACHED);
        assertThat(code(new AgentException("timeout: sleep 9 exceeded 1 s"))).isEqualTo(ErrorCode.EXEC_TIMEOUT);
        assertThat(code(new AgentException("/etc: is a directory"))).isEqualTo(ErrorCode.AGENT_REFUSED);
        assertThat(ErrorResponses.of(new AgentException("internal error: boom"), null).getMessage())
                .isEqualTo("the sandbox's agent could not handle the request: boom");
    }

    @Test
    void unexpectedFailuresAreInternalErrors() {
        assertThat(code(new StoreException.Failed("insert", new SQLException("disk I/O error"))))
                .isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(code(new SecretBoxException.Undecryptable("no", null))).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(code(new IllegalStateException("bug"))).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(ErrorCode.INTERNAL_ERROR.status()).isEqualTo(500);
    }

    @Test
    void jettyStatusesHaveTheirCodes() {
        assertThat(ErrorResponses.ofJettyStatus(414)).isEqualTo(ErrorCode.URI_TOO_LONG);
        assertThat(ErrorResponses.ofJettyStatus(426)).isEqualTo(ErrorCode.UPGRADE_REQUIRED);
        assertThat(ErrorResponses.ofJettyStatus(431)).isEqualTo(ErrorCode.HEADERS_TOO_LARGE);
        assertThat(ErrorResponses.ofJettyStatus(400)).isEqualTo(ErrorCode.BAD_REQUEST);
    }
}

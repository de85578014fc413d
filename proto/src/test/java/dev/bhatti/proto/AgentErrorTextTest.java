package dev.bhatti.proto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentErrorTextTest {
    @Test
    void theWireTextsAreThoseCachedGuestImagesSend() {
        assertThat(AgentErrorText.START.text()).isEqualTo("start: ");
        assertThat(AgentErrorText.TIMEOUT.text()).isEqualTo("timeout: ");
        assertThat(AgentErrorText.INTERNAL.text()).isEqualTo("internal error: ");
        assertThat(AgentErrorText.SESSION_NOT_FOUND.text()).isEqualTo("session not found");
        assertThat(AgentErrorText.SESSION_ATTACHED.text()).isEqualTo("session is attached");
        assertThat(AgentErrorText.NO_SUCH_FILE.text()).isEqualTo("no such file or directory");
        assertThat(AgentErrorText.AUTH_REQUIRED.text()).isEqualTo("auth required");
        assertThat(AgentErrorText.CONNECTION_LIMIT.text()).isEqualTo("connection limit exceeded");
        assertThat(AgentErrorText.NO_REQUEST.text()).isEqualTo("no request within the deadline");
        assertThat(AgentErrorText.SESSION_LIMIT.with("8)")).isEqualTo("session limit reached (8)");
    }

    @Test
    void aMessageIsClassifiedByPrefixWholeTextOrPathSuffix() {
        assertThat(AgentErrorText.of("start: nope: executable file not found in $PATH")).isEqualTo(AgentErrorText.START);
        assertThat(AgentErrorText.of("start: posix_spawn /x: no such file or directory")).isEqualTo(AgentErrorText.START);
        assertThat(AgentErrorText.of("timeout: sleep 30 exceeded 1 s")).isEqualTo(AgentErrorText.TIMEOUT);
        assertThat(AgentErrorText.of("/etc/nope: no such file or directory")).isEqualTo(AgentErrorText.NO_SUCH_FILE);
        assertThat(AgentErrorText.of("session not found")).isEqualTo(AgentErrorText.SESSION_NOT_FOUND);
        assertThat(AgentErrorText.of("session is attached")).isEqualTo(AgentErrorText.SESSION_ATTACHED);
        assertThat(AgentErrorText.of("/etc: is a directory")).isEqualTo(AgentErrorText.OTHER);
        assertThat(AgentErrorText.of("my session not found")).isEqualTo(AgentErrorText.OTHER);
        assertThat(AgentErrorText.INTERNAL.detail("internal error: boom")).isEqualTo("boom");
    }
}

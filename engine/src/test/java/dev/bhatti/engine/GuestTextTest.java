package dev.bhatti.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Guest text can never end a log line or carry terminal escapes, and stays bounded. */
class GuestTextTest {
    @Test
    void newlinesControlCharactersAndQuotesAreEscaped() {
        assertThat(GuestText.field("guest_console", "x\r\nFAKE event=admin_login\n\u001b[31m\"q\"\\ \u0000\u009b"))
                .isEqualTo("guest_console=\"x\\r\\nFAKE event=admin_login\\n\\x1b[31m\\\"q\\\"\\\\ \\x00\\x9b\"");
    }

    @Test
    void longTextKeepsItsEndWithinTheCapAndNeverSplitsAnEscape() {
        String escaped = GuestText.escape("a".repeat(5000) + "\n".repeat(3000) + "END");
        assertThat(escaped).startsWith("...").endsWith("\\nEND").doesNotContain("\n");
        assertThat(escaped.length()).isLessThanOrEqualTo(GuestText.MAX_CHARS + 3);
        assertThat(escaped.substring(3)).matches("(\\\\n)*END");
    }
}

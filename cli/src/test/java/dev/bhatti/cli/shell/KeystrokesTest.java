package dev.bhatti.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KeystrokesTest {

    /** Local input (one read), the messages sent, and whether it detached. */
    record Case(String name, String input, List<String> sent, boolean detached) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("input then end of input sends the input, nothing more", "ls\r", List.of("ls\r"), false),
                new Case("keys before the detach key are sent, the key and what follows are not",
                        "ab\u001ccd", List.of("ab"), true),
                new Case("the detach key alone sends nothing", "\u001c", List.of(), true),
                new Case("empty input sends nothing", "", List.of(), false),
                new Case("other control keys pass through", "\u0003\u001a\u0004",
                        List.of("\u0003\u001a\u0004"), false));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void forwardsKeystrokesUntilTheDetachKey(Case c) {
        List<String> sent = new ArrayList<>();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        new Keystrokes(new ByteArrayInputStream(c.input().getBytes(StandardCharsets.ISO_8859_1)),
                bytes -> sent.add(new String(bytes, StandardCharsets.ISO_8859_1)), outcome).run();
        assertThat(sent).containsExactlyElementsOf(c.sent());
        assertThat(outcome.getNow(null)).isEqualTo(c.detached() ? new Outcome.Detached() : null);
    }
}

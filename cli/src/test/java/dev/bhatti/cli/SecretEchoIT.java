package dev.bhatti.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.cli.CliFixture.Run;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real {@code bin/bhatti} never prints an API key back: picocli's "Unknown options" echo of a
 * misplaced {@code --token KEY}, or a {@code token=} in a URL it quotes, shows the key masked.
 */
class SecretEchoIT {
    private static CliFixture fx;

    @BeforeAll
    static void startDaemon() throws Exception {
        fx = new CliFixture();
    }

    @AfterAll
    static void stopDaemon() {
        if (fx != null) {
            fx.close();
        }
    }

    static List<List<String>> misplaced() {
        return List.of(
                List.of("--url", "URL", "--token", "KEY", "exec", "sb", "--", "echo", "hi"),
                List.of("--token=KEY", "list"),
                List.of("list", "--token", "KEY", "--bogus"),
                List.of("list", "extra", "--token", "KEY"),
                List.of("list", "--url", "http://127.0.0.1:1/?token=KEY", "--token", "other-key-value"));
    }

    @ParameterizedTest
    @MethodSource("misplaced")
    void aMisplacedOrUnknownOptionNeverEchoesTheKey(List<String> template) throws Exception {
        List<String> args = template.stream().map(a -> a.replace("URL", fx.url()).replace("KEY", fx.token)).toList();
        Run r = fx.launch(Path.of("/dev/null"), args);
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("Error: ");
        assertThat(r.out() + r.err()).doesNotContain(fx.token).doesNotContain("other-key-value");
    }
}

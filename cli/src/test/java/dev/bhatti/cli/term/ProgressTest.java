package dev.bhatti.cli.term;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void shownProgressDrawsTheLabelAndErasesItsLineWhenClosed() {
        StringWriter err = new StringWriter();
        try (Progress p = Progress.start(new PrintWriter(err), "creating web", true)) {
            assertThat(err.toString()).startsWith("\r| creating web 0.");
        }
        assertThat(err.toString()).endsWith("\r\033[K").containsPattern("creating web \\d+\\.\\ds");
    }

    @Test
    void hiddenProgressWritesNothing() {
        StringWriter err = new StringWriter();
        Progress.start(new PrintWriter(err), "creating web", false).close();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aroundReturnsTheResultAndShowsNothingWithoutATerminal() {
        StringWriter err = new StringWriter();
        assertThat(Progress.around(new PrintWriter(err), "stopping web", () -> "done")).isEqualTo("done");
        assertThat(Tty.isTerminal(Tty.STDERR)).as("surefire's stderr is a pipe").isFalse();
        assertThat(err.toString()).isEmpty();
    }
}

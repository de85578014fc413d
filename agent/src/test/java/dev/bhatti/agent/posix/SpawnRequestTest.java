package dev.bhatti.agent.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpawnRequestTest {
    private static final Path SH = Path.of("/bin/sh");

    @Test
    void aRelativeExecutableIsRejectedBecausePathIsNotSearched() {
        assertThatThrownBy(() -> new SpawnRequest(Path.of("sh"), List.of("sh"), List.of(), null, List.of(), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
    }

    @Test
    void argvMustNotBeEmpty() {
        assertThatThrownBy(() -> new SpawnRequest(SH, List.of(), List.of(), null, List.of(), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void environmentEntriesMustBeKeyValuePairs() {
        assertThatThrownBy(() -> new SpawnRequest(SH, List.of("sh"), List.of("NOVALUE"), null, List.of(), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NOVALUE");
        assertThatThrownBy(() -> new SpawnRequest(SH, List.of("sh"), List.of("=x"), null, List.of(), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stringsWithNulCharactersAreRejectedInsteadOfTruncated() {
        assertThatThrownBy(() -> new SpawnRequest(SH, List.of("sh", "a\0b"), List.of(), null, List.of(), false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SpawnRequest(SH, List.of("sh"), List.of("A=\0"), null, List.of(), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullsAreRejectedExceptForTheWorkingDirectory() {
        assertThatThrownBy(() -> new SpawnRequest(null, List.of("sh"), List.of(), null, List.of(), false))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new SpawnRequest(SH, List.of("sh", null), List.of(), null, List.of(), false))
                .isInstanceOf(NullPointerException.class);
        assertThat(new SpawnRequest(SH, List.of("sh"), List.of(), null, List.of(), false).cwd()).isNull();
    }

    @Test
    void listsAreCopiedSoLaterChangesDoNotLeakIn() {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "true"));
        SpawnRequest request = new SpawnRequest(SH, argv, List.of(), null, List.of(), false);
        argv.add("extra");
        assertThat(request.argv()).containsExactly("sh", "-c", "true");
        assertThatThrownBy(() -> request.argv().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void fdActionsRejectNegativeDescriptorsAndNulls() {
        assertThatThrownBy(() -> new FdAction.DupChild(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FdAction.Open(Path.of("/x"), -2, OpenMode.READ))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FdAction.Open(Path.of("/x"), 0, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new FdAction.Dup(null, 1)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void openModesMapToTheOpenFlags() {
        assertThat(OpenMode.READ.flags()).isEqualTo(0);
        assertThat(OpenMode.WRITE_TRUNCATE.flags()).isEqualTo(01 | 0100 | 01000);
        assertThat(OpenMode.APPEND.flags()).isEqualTo(01 | 0100 | 02000);
        assertThat(OpenMode.READ_WRITE.flags()).isEqualTo(02);
    }
}

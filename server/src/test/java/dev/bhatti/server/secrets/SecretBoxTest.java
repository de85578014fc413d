package dev.bhatti.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
    @TempDir
    Path dir;

    @Test
    void sealedValueOpensToThePlaintext() {
        SecretBox box = SecretBox.open(dir.resolve("age.key"));

        assertThat(box.open(box.seal("s3cr3t ✓ value"))).isEqualTo("s3cr3t ✓ value");
        assertThat(box.open(box.seal(""))).isEmpty();
    }

    @Test
    void keyFileIsCreatedOwnerOnlyInTheAgeKeygenFormat() throws Exception {
        Path keyFile = dir.resolve("nested/age.key");
        SecretBox box = SecretBox.open(keyFile);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(Files.readString(keyFile)).contains("# public key: " + box.recipient())
                .containsPattern("(?m)^AGE-SECRET-KEY-1[0-9A-Z]+$");
        assertThat(box.recipient()).startsWith("age1");
        try (var files = Files.list(keyFile.getParent())) {
            assertThat(files).containsExactly(keyFile);
        }
    }

    @Test
    void secondBoxOnTheSameKeyFileOpensWhatTheFirstSealed() {
        Path keyFile = dir.resolve("age.key");
        byte[] sealed = SecretBox.open(keyFile).seal("hello");

        SecretBox again = SecretBox.open(keyFile);

        assertThat(again.open(sealed)).isEqualTo("hello");
    }

    @Test
    void ciphertextDoesNotContainThePlaintext() {
        SecretBox box = SecretBox.open(dir.resolve("age.key"));

        byte[] sealed = box.seal("PLAINTEXT-MARKER-123");

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("PLAINTEXT-MARKER-123")
                .startsWith("age-encryption.org/v1");
    }

    @Test
    void anotherKeyCannotOpenTheSecret() {
        byte[] sealed = SecretBox.open(dir.resolve("a.key")).seal("hello");
        SecretBox other = SecretBox.open(dir.resolve("b.key"));

        assertThatThrownBy(() -> other.open(sealed))
                .isInstanceOf(SecretBoxException.Undecryptable.class)
                .hasMessageContaining("cannot decrypt secret");
    }

    @Test
    void keyFileWithoutAnIdentityIsRejected() throws Exception {
        Path keyFile = dir.resolve("age.key");
        Files.writeString(keyFile, "# nothing here\n");

        assertThatThrownBy(() -> SecretBox.open(keyFile))
                .isInstanceOf(SecretBoxException.KeyFileUnusable.class)
                .hasMessageContaining(keyFile.toString());
    }
}

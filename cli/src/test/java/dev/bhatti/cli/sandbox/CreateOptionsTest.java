package dev.bhatti.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.cli.InProcessRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** {@code create --volume} and {@code --file} parsing; no daemon needed, bad values fail before any request. */
class CreateOptionsTest {
    @TempDir
    Path dir;

    @Test
    void volumeIsNameAndMountReadWriteUnlessRo() {
        VolumeMount.Converter c = new VolumeMount.Converter();
        assertThat(c.convert("data:/mnt/data")).isEqualTo(new VolumeMount("data", "/mnt/data", false));
        assertThat(c.convert("data:/mnt/data:ro")).isEqualTo(new VolumeMount("data", "/mnt/data", true));
        assertThat(c.convert("data:/mnt/data:rw")).isEqualTo(new VolumeMount("data", "/mnt/data", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"data", "data:mnt", ":/mnt", "data:/mnt:rx", "data:/mnt:ro:x"})
    void badVolumeValuesAreRejected(String value) {
        assertThatThrownBy(() -> new VolumeMount.Converter().convert(value))
                .isInstanceOf(TypeConversionException.class).hasMessageContaining("NAME:MOUNT[:ro]");
    }

    @Test
    void fileIsReadAsBase64WithItsMode() throws Exception {
        Path local = dir.resolve("run.sh");
        Files.writeString(local, "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(local, PosixFilePermissions.fromString("rwxr-x---"));
        FileUpload f = new FileUpload.Converter().convert(local + ":/workspace/run.sh");
        assertThat(f.path()).isEqualTo("/workspace/run.sh");
        assertThat(f.mode()).isEqualTo("0750");
        assertThat(Base64.getDecoder().decode(f.content())).asString().isEqualTo("#!/bin/sh\necho hi\n");
    }

    @Test
    void fileNeedsAnAbsoluteGuestPathAnExistingLocalFileAndASmallSize() throws Exception {
        FileUpload.Converter c = new FileUpload.Converter();
        assertThatThrownBy(() -> c.convert(dir + "/x")).hasMessageContaining("LOCAL:GUEST");
        assertThatThrownBy(() -> c.convert(dir.resolve("missing") + ":/x")).hasMessageContaining("no such file");
        assertThatThrownBy(() -> c.convert(dir + ":/x")).hasMessageContaining("cannot read");
        Path big = Files.write(dir.resolve("big"), new byte[(int) FileUpload.MAX_BYTES + 1]);
        assertThatThrownBy(() -> c.convert(big + ":/big")).hasMessageContaining("bhatti file write");
    }

    @Test
    void badSyntaxIsAParameterErrorNamingTheFlag() {
        InProcessRun r = InProcessRun.of("create", "--url", "http://127.0.0.1:1", "--volume", "data");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("--volume").contains("NAME:MOUNT[:ro]").contains("bhatti create --help");
    }
}

package dev.bhatti.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing the config drive's config.json (SPEC §2.2). */
class ConfigDriveTest {
    @TempDir
    Path dir;

    private static final String FULL = """
            {
              "sandbox_id": "sb-123",
              "hostname": "box-1",
              "token": "00112233445566778899aabbccddeeff",
              "env": {"API_KEY": "secret", "MODE": "dev"},
              "files": {
                "/home/lohar/.ssh/id": {"content": "a2V5", "mode": "0600"},
                "/workspace/readme.md": {"content": "aGk="}
              },
              "volumes": [{"device": "/dev/vdb", "mount": "/data", "fs": "ext4", "read_only": true}],
              "init": "python3 -m http.server 8080",
              "dns": ["1.1.1.1", "8.8.8.8"],
              "user": "lohar",
              "some_future_field": {"ignored": true}
            }
            """;

    private AgentConfig parse(String json) throws IOException {
        return ConfigDrive.read(Files.writeString(dir.resolve(ConfigDrive.FILE_NAME), json));
    }

    @Test
    void fullConfigParsesEveryFieldBySnakeCaseName() throws Exception {
        AgentConfig c = parse(FULL);

        assertThat(c.sandboxId()).isEqualTo("sb-123");
        assertThat(c.hostname()).isEqualTo("box-1");
        assertThat(c.token()).isEqualTo("00112233445566778899aabbccddeeff");
        assertThat(c.env()).containsExactly(Map.entry("API_KEY", "secret"), Map.entry("MODE", "dev"));
        assertThat(c.files()).containsExactly(
                Map.entry("/home/lohar/.ssh/id", new AgentConfig.FileEntry("a2V5", "0600")),
                Map.entry("/workspace/readme.md", new AgentConfig.FileEntry("aGk=", null)));
        assertThat(c.volumes()).containsExactly(new AgentConfig.Volume("/dev/vdb", "/data", "ext4", true));
        assertThat(c.init()).isEqualTo("python3 -m http.server 8080");
        assertThat(c.dns()).containsExactly("1.1.1.1", "8.8.8.8");
        assertThat(c.user()).isEqualTo("lohar");
    }

    @Test
    void absentFieldsBecomeEmptyCollectionsAndNullScalars() throws Exception {
        AgentConfig c = parse("{\"sandbox_id\": \"sb-1\"}");

        assertThat(c.env()).isEmpty();
        assertThat(c.files()).isEmpty();
        assertThat(c.volumes()).isEmpty();
        assertThat(c.dns()).isEmpty();
        assertThat(c.hostname()).isNull();
        assertThat(c.token()).isNull();
        assertThat(c.init()).isNull();
    }

    @Test
    void explicitNullCollectionsAlsoBecomeEmpty() throws Exception {
        AgentConfig c = parse("{\"env\": null, \"files\": null, \"volumes\": null, \"dns\": null}");

        assertThat(c.env()).isEmpty();
        assertThat(c.files()).isEmpty();
        assertThat(c.volumes()).isEqualTo(List.of());
        assertThat(c.dns()).isEqualTo(List.of());
    }

    @Test
    void collectionsAreImmutable() throws Exception {
        AgentConfig c = parse(FULL);

        assertThatThrownBy(() -> c.env().put("X", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> c.dns().add("9.9.9.9")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void malformedJsonFailsNamingTheFileAndTheLine() {
        assertThatThrownBy(() -> parse("{\n  \"hostname\": \"box\",\n  \"dns\": [\n}"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(ConfigDrive.FILE_NAME)
                .hasMessageContaining("line 4");
    }

    @Test
    void wrongFieldTypeFailsNamingTheField() {
        assertThatThrownBy(() -> parse("{\"dns\": \"1.1.1.1\"}"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("invalid config")
                .hasMessageContaining("field dns:");
        assertThatThrownBy(() -> parse("{\"volumes\": [{\"device\": \"/dev/vdb\", \"read_only\": null}]}"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("field volumes[0].read_only:");
    }

    @Test
    void nullEnvValueIsRejectedWithTheKey() {
        assertThatThrownBy(() -> parse("{\"env\": {\"HOME\": null}}"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("env entry HOME must not be null");
    }

    @Test
    void emptyDocumentIsAClearError() {
        assertThatThrownBy(() -> parse("")).isInstanceOf(IOException.class).hasMessageContaining("invalid config");
        assertThatThrownBy(() -> parse("null")).isInstanceOf(IOException.class).hasMessageContaining("empty or null");
    }

    @Test
    void missingFileIsAnIoError() {
        assertThatThrownBy(() -> ConfigDrive.read(dir.resolve("absent.json"))).isInstanceOf(NoSuchFileException.class);
    }
}

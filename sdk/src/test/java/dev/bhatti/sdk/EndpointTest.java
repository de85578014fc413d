package dev.bhatti.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointTest {
    private static final Map<String, String> CONFIG = Map.of("api_url", "http://config:1", "auth_token", "cfg");
    private static final Map<String, String> ENV = Map.of("BHATTI_URL", "http://env:2", "BHATTI_TOKEN", "envtok");

    @Test
    void flagsWinOverConfigAndEnv() {
        assertThat(Endpoint.resolve("http://flag:3/", "flagtok", CONFIG, ENV))
                .isEqualTo(new Endpoint("http://flag:3", "flagtok"));
    }

    @Test
    void envWinsOverConfig() {
        assertThat(Endpoint.resolve(null, null, CONFIG, ENV)).isEqualTo(new Endpoint("http://env:2", "envtok"));
    }

    @Test
    void configIsUsedWhenNoFlagOrEnv() {
        assertThat(Endpoint.resolve(null, null, CONFIG, Map.of())).isEqualTo(new Endpoint("http://config:1", "cfg"));
    }

    @Test
    void bhattiConfigNamesTheConfigFileElseItIsUnderHome() {
        assertThat(Endpoint.configFile(Map.of("BHATTI_CONFIG", "/etc/x.yaml"), "/home/a")).isEqualTo(Path.of("/etc/x.yaml"));
        assertThat(Endpoint.configFile(Map.of(), "/home/a")).isEqualTo(Path.of("/home/a/.bhatti/config.yaml"));
        assertThat(Endpoint.configFile(Map.of("BHATTI_CONFIG", ""), "/home/a")).isEqualTo(Path.of("/home/a/.bhatti/config.yaml"));
    }

    @Test
    void envIsUsedWhenNoFlagOrConfig() {
        assertThat(Endpoint.resolve(null, null, Map.of(), ENV)).isEqualTo(new Endpoint("http://env:2", "envtok"));
    }

    @Test
    void defaultsToLocalhostWithoutToken() {
        assertThat(Endpoint.resolve(null, null, Map.of(), Map.of())).isEqualTo(new Endpoint("http://localhost:8080", ""));
    }

    @Test
    void eachValueIsResolvedOnItsOwn() {
        assertThat(Endpoint.resolve(null, "flagtok", CONFIG, Map.of("BHATTI_URL", "http://env:2")))
                .isEqualTo(new Endpoint("http://env:2", "flagtok"));
        assertThat(Endpoint.resolve(null, null, CONFIG, Map.of("BHATTI_TOKEN", "envtok")))
                .isEqualTo(new Endpoint("http://config:1", "envtok"));
    }

    @Test
    void configFileIsReadAsFlatYaml(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "# bhatti\napi_url: \"http://h:9\"\nauth_token: bht_abc\n");
        assertThat(Endpoint.readConfig(file)).containsEntry("api_url", "http://h:9").containsEntry("auth_token", "bht_abc");
    }

    @Test
    void missingConfigFileIsEmpty(@TempDir Path dir) {
        assertThat(Endpoint.readConfig(dir.resolve("none.yaml"))).isEmpty();
    }

    @Test
    void savedConfigIsOwnerOnlyAndReadsBack(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(".bhatti/config.yaml");
        new Endpoint("http://h:9", "bht_abc").save(file);
        new Endpoint("http://h:10", "bht_def").save(file);

        assertThat(Endpoint.readConfig(file)).containsEntry("api_url", "http://h:10").containsEntry("auth_token", "bht_def");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }
}

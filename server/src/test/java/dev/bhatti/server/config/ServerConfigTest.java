package dev.bhatti.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.api.NetworkMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

    @Test
    void missingFileGivesTheDefaults() throws Exception {
        ServerConfig c = ServerConfig.load(Path.of("/nonexistent/bhatti.yaml"));
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/bhatti"));
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.warmAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.coldAfter()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.proxyZone()).as("public preview by path /p/<alias>/").isNull();
        assertThat(c.network().bridge()).as("user-mode networking by default").isFalse();
        assertThat(c.disk()).as("50 GiB root disks at most, 2 GiB or 5% kept free")
                .isEqualTo(new ServerConfig.Disk(51200, 2048, 5));
    }

    @Test
    void diskLimitsAreReadFromTheFileAndBadOnesRefusedWithTheirName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "max_root_disk_mb: 10240\ndisk_reserve_mb: 512\ndisk_reserve_percent: 10\n");
        assertThat(ServerConfig.load(file).disk()).isEqualTo(new ServerConfig.Disk(10240, 512, 10));
        Files.writeString(file, "disk_reserve_mb: 1\n");
        assertThat(ServerConfig.load(file).disk()).isEqualTo(new ServerConfig.Disk(51200, 1, 5));
        assertThatThrownBy(() -> new ServerConfig.Disk(0, 1, 1)).hasMessageContaining("max_root_disk_mb");
        assertThatThrownBy(() -> new ServerConfig.Disk((1 << 20) + 1, 1, 1)).hasMessageContaining("max_root_disk_mb");
        assertThatThrownBy(() -> new ServerConfig.Disk(1, -1, 1)).hasMessageContaining("disk_reserve_mb");
        assertThatThrownBy(() -> new ServerConfig.Disk(1, 1, 101)).hasMessageContaining("disk_reserve_percent");
    }

    @Test
    void fileValuesOverrideDefaultsAndFlagsOverrideTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "data_dir: /srv/bhatti\nlisten: 0.0.0.0:9090\nwarm_after_sec: 5\ncold_after_sec: 60\n"
                + "proxy_zone: preview.example.com\nnetwork: bridge\nbridge_range: 10.77\n");
        ServerConfig c = ServerConfig.load(file);
        assertThat(c.dataDir()).isEqualTo(Path.of("/srv/bhatti"));
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(9090);
        assertThat(c.warmAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.proxyZone()).isEqualTo("preview.example.com");
        assertThat(c.network()).isEqualTo(new ServerConfig.Network(NetworkMode.BRIDGE, "10.77"));
        assertThat(c.withListen(":7000").port()).isEqualTo(7000);
        assertThat(c.withListen(":7000").host()).isEqualTo("0.0.0.0");
    }

    @Test
    void unknownKeysAndBadValuesAreRefusedWithTheirName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "dta_dir: /x\n");
        assertThatThrownBy(() -> ServerConfig.load(file)).hasMessageContaining("dta_dir");
        assertThatThrownBy(() -> ServerConfig.defaults().withListen("nonsense")).hasMessageContaining("listen");
        assertThatThrownBy(() -> ServerConfig.defaults().withThermal(Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofSeconds(5))).hasMessageContaining("cold_after");
        for (String zone : new String[] {"Preview.Example", "*.example.com", "example.com.", "a..b"}) {
            assertThatThrownBy(() -> ServerConfig.defaults().withProxyZone(zone)).as(zone).hasMessageContaining("proxy_zone");
        }
        assertThatThrownBy(() -> ServerConfig.Network.mode("tap")).hasMessageContaining("network must be netns, user or bridge");
        for (String range : new String[] {"10", "10.256", "10.200.0", "ten.one"}) {
            assertThatThrownBy(() -> new ServerConfig.Network(NetworkMode.BRIDGE, range)).as(range).hasMessageContaining("bridge_range");
        }
    }
}

package dev.bhatti.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.server.Daemon;
import dev.bhatti.server.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The real {@code bhatti} program in a subprocess against a real in-process daemon. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliAgainstDaemonTest {
    private static Path dir;
    private static Daemon daemon;
    private static String token;

    record Run(int exit, String out, String err) {}

    @BeforeAll
    static void startDaemon() throws IOException {
        dir = Files.createTempDirectory("bhatti-cli-test-");
        ServerConfig config = ServerConfig.defaults().withDataDir(dir.resolve("data")).withListen("127.0.0.1:0")
                .withClientConfig(dir.resolve("client.yaml")).withRateScale(100);
        daemon = Daemon.start(config);
        token = Files.readAllLines(config.clientConfig()).stream().filter(l -> l.startsWith("auth_token: "))
                .map(l -> l.substring("auth_token: ".length())).findFirst().orElseThrow();
    }

    @AfterAll
    static void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private static Run bhatti(String tok, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + dir, "-cp", System.getProperty("java.class.path"), "dev.bhatti.cli.Bhatti"));
        command.addAll(List.of(args));
        command.addAll(List.of("--url", "http://127.0.0.1:" + daemon.port(), "--token", tok));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("bhatti " + args[0] + " hung");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    @Order(1)
    void versionShowsClientAndServer() throws Exception {
        Run r = bhatti(token, "version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("client: bhatti").contains("server: bhatti");
    }

    @Test
    @Order(2)
    void secretsAreSetListedAndDeleted() throws Exception {
        assertThat(bhatti(token, "secret", "set", "API_KEY", "s3cret").exit()).isZero();
        Run listed = bhatti(token, "secret", "list");
        assertThat(listed.out()).contains("API_KEY").doesNotContain("s3cret");
        assertThat(bhatti(token, "secret", "delete", "API_KEY").exit()).isZero();
        assertThat(bhatti(token, "secret", "list", "--json").out()).doesNotContain("API_KEY");
    }

    @Test
    @Order(3)
    void unknownSandboxIsAnErrorWithAHint() throws Exception {
        Run r = bhatti(token, "destroy", "no-such-sandbox", "-y");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("Error: ").contains("'bhatti list' shows your sandboxes");
    }

    @Test
    @Order(4)
    void wrongTokenIsAnErrorWithTheAuthHint() throws Exception {
        Run r = bhatti("bht_wrong", "list");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("Error: invalid api key").contains("BHATTI_TOKEN");
    }

    @Test
    @Order(5)
    void emptyListPrintsTheHeader() throws Exception {
        Run r = bhatti(token, "list");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("NAME").contains("STATUS").contains("THERMAL").contains("IP");
    }
}

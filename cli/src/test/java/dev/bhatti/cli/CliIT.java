package dev.bhatti.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bhatti.cli.CliFixture.Run;
import dev.bhatti.sdk.Bhatti;
import dev.bhatti.sdk.Raw;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real {@code bin/bhatti} in a subprocess against a real in-process daemon (the seed's CLI tests). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {
    private static CliFixture fx;
    private static Path dir;
    private static String token;
    private static String sandboxId;

    @BeforeAll
    static void startDaemon() throws Exception {
        fx = new CliFixture();
        dir = fx.dir;
        token = fx.token;
        Run created = bhatti(token, "create", "--name", "clitest", "--label", "suite=cli");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("clitest").contains("open a shell: bhatti shell clitest");
        sandboxId = created.out().replaceAll("(?s).*\\((sb[^)]*|[^)]+)\\).*", "$1").strip();
    }

    @AfterAll
    static void stopDaemon() {
        if (fx != null) {
            fx.close();
        }
    }

    private static Run bhatti(String tok, String... args) throws Exception {
        return fx.run(Path.of("/dev/null"), tok, args);
    }

    private static JsonNode json(Run r) throws Exception {
        assertThat(r.exit()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    private static Path config() {
        return dir.resolve(".bhatti/config.yaml");
    }

    private static Run bhattiWithInput(Path stdin, String tok, String... args) throws Exception {
        return fx.run(stdin, tok, args);
    }

    @Test
    @Order(10)
    void versionShowsClientAndServer() throws Exception {
        Run r = bhatti(token, "version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("client: bhatti").contains("server: bhatti");
    }

    @Test
    @Order(11)
    void completionPrintsABashScriptCoveringTheCommands() throws Exception {
        Run r = fx.launch(Path.of("/dev/null"), List.of("completion", "bash"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("complete -F _complete_bhatti").contains("volume").contains("--template");
    }

    @Test
    @Order(12)
    void aClosedPortIsAnErrorWithTheStartTheDaemonHint() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Run r = fx.launch(Path.of("/dev/null"), List.of("list", "--url", "http://127.0.0.1:" + port));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("Error: cannot connect to http://127.0.0.1:" + port)
                .contains("hint: is the daemon running? start it with 'scripts/quickstart' or 'bhatti serve'");
    }

    @Test
    @Order(20)
    void secretsAreSetListedAndDeleted() throws Exception {
        assertThat(bhatti(token, "secret", "set", "API_KEY", "s3cret").exit()).isZero();
        Run listed = bhatti(token, "secret", "list");
        assertThat(listed.out()).contains("API_KEY").doesNotContain("s3cret");
        assertThat(bhatti(token, "secret", "delete", "API_KEY").exit()).isZero();
        assertThat(bhatti(token, "secret", "list", "--json").out()).doesNotContain("API_KEY");
    }

    @Test
    @Order(25)
    void volumesAreCreatedAndListedAsTableAndJson() throws Exception {
        Run created = bhatti(token, "volume", "create", "--name", "clivol", "--size", "16");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("volume clivol created (16 MiB)");
        assertThat(bhatti(token, "volume", "list").out()).startsWith("NAME").containsPattern("clivol\\s+16M\\s+available");
        JsonNode listed = json(bhatti(token, "volume", "list", "--json"));
        assertThat(listed.findValuesAsText("name")).contains("clivol");
        Run again = bhatti(token, "volume", "create", "--name", "clivol", "--size", "16");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("Error: volume name clivol is already in use");
    }

    @Test
    @Order(26)
    void templatesAreCreatedAndListedAsTableAndJson() throws Exception {
        Run created = bhatti(token, "template", "create", "--name", "clitpl", "--env", "GREETING=hello",
                "--cpus", "1");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).containsPattern("template clitpl created \\(tpl_[0-9a-f]+\\)");
        assertThat(bhatti(token, "template", "list").out()).startsWith("ID").contains("clitpl");
        JsonNode listed = json(bhatti(token, "template", "list", "--json"));
        assertThat(listed.get(0).path("env").path("GREETING").asText()).isEqualTo("hello");
    }

    @Test
    @Order(30)
    void unknownSandboxIsAnErrorWithAHint() throws Exception {
        Run r = bhatti(token, "destroy", "no-such-sandbox", "-y");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("Error: ").contains("'bhatti list' shows your sandboxes");
    }

    @Test
    @Order(40)
    void wrongTokenIsAnErrorWithTheAuthHint() throws Exception {
        Run r = bhatti("bht_wrong", "list");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("Error: invalid api key").contains("BHATTI_TOKEN");
    }

    @Test
    @Order(41)
    void setupWithAWrongKeyFailsAndWritesNothing() throws Exception {
        Run r = bhatti("bht_wrong", "setup");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("Error: invalid api key");
        assertThat(config()).doesNotExist();
    }

    @Test
    @Order(42)
    void setupSavesAVerifiedOwnerOnlyConfigThatLaterCommandsUse() throws Exception {
        Run r = bhatti(token, "setup");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("saved").contains(fx.url());
        assertThat(Files.readString(config())).contains("\napi_url: " + fx.url() + "\n")
                .contains("\nauth_token: " + token + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config().getParent())))
                .isEqualTo("rwx------");

        Run listed = fx.launch(Path.of("/dev/null"), List.of("list"));
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("clitest");
    }

    @Test
    @Order(50)
    void listShowsTheSandbox() throws Exception {
        Run r = bhatti(token, "list", "-o", "wide");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("NAME").contains("THERMAL").contains("clitest").contains("suite=cli");
    }

    @Test
    @Order(60)
    void createWithAnExistingNameIsUnchanged() throws Exception {
        Run r = bhatti(token, "create", "--name", "clitest");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("unchanged");
    }

    /** Without a terminal exec uses the buffered call; --stream forces the NDJSON events. Both end alike. */
    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    @Order(70)
    void execRelaysBothStreamsAndExitsWithTheRemoteCodeById(boolean stream) throws Exception {
        List<String> args = new ArrayList<>(List.of("exec", sandboxId));
        if (stream) {
            args.add("--stream");
        }
        args.addAll(List.of("--", "sh", "-c", "echo out; echo err >&2; echo more; exit 3"));
        Run r = bhatti(token, args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("out\nmore\n");
        assertThat(r.err()).isEqualTo("err\n");
    }

    @Test
    @Order(70)
    void execUserRootRunsAsRoot() throws Exception {
        Run r = bhatti(token, "exec", "clitest", "--user", "root", "--", "id", "-u");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("0\n");
    }

    /** --stream prints each line when the remote command writes it: "a" seconds before "b" and the exit. */
    @Test
    @Order(71)
    void execStreamPrintsEachLineWhenTheCommandWritesIt() throws Exception {
        CliFixture.TimedRun r = fx.timed(token, "exec", "clitest", "--stream", "--", "sh", "-c", "echo a; sleep 3; echo b");
        assertThat(r.exit()).isZero();
        assertThat(r.lines()).extracting(CliFixture.TimedLine::line).containsExactly("a", "b");
        long a = r.lines().get(0).millis();
        long b = r.lines().get(1).millis();
        assertThat(b - a).as("a at %d ms, b at %d ms", a, b).isGreaterThanOrEqualTo(2500);
        assertThat(r.exitMillis() - a).as("a at %d ms, exit at %d ms", a, r.exitMillis()).isGreaterThanOrEqualTo(2500);
    }

    /** $HOME and $BHATTI_CONFIG choose the config file; BHATTI_URL/TOKEN win over it; flags win over both. */
    @Test
    @Order(72)
    void configFileFollowsHomeAndBhattiConfigAndEnvWinsOverIt() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home-a/.bhatti")).getParent();
        Files.writeString(home.resolve(".bhatti/config.yaml"), "api_url: " + fx.url() + "\nauth_token: " + token + "\n");
        Path named = dir.resolve("named.yaml");
        Files.writeString(named, "api_url: " + fx.url() + "\nauth_token: " + token + "\n");
        Path emptyHome = Files.createDirectories(dir.resolve("home-empty"));
        Path wrongHome = Files.createDirectories(dir.resolve("home-wrong/.bhatti")).getParent();
        Files.writeString(wrongHome.resolve(".bhatti/config.yaml"), "api_url: " + fx.url() + "\nauth_token: bht_wrong\n");

        assertThat(fx.launchWithEnv(java.util.Map.of("HOME", home.toString()), "list").out()).contains("clitest");
        assertThat(fx.launchWithEnv(java.util.Map.of("HOME", emptyHome.toString(), "BHATTI_CONFIG", named.toString()), "list")
                .out()).contains("clitest");
        assertThat(fx.launchWithEnv(java.util.Map.of("HOME", wrongHome.toString(), "BHATTI_TOKEN", token), "list").out())
                .contains("clitest");
        Run envWrong = fx.launchWithEnv(java.util.Map.of("HOME", home.toString(), "BHATTI_TOKEN", "bht_wrong"), "list");
        assertThat(envWrong.exit()).isEqualTo(1);
        assertThat(envWrong.err()).contains("Error:");
        assertThat(fx.launchWithEnv(java.util.Map.of("HOME", home.toString(), "BHATTI_TOKEN", "bht_wrong"),
                "list", "--token", token).out()).contains("clitest");
    }

    @Test
    @Order(75)
    void portsListsAServerStartedWithExecDetach() throws Exception {
        Run started = bhatti(token, "exec", "clitest", "--detach", "--", "python3", "-m", "http.server", "8123",
                "--bind", "127.0.0.1");
        assertThat(started.exit()).as(started.err()).isZero();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Run ports = bhatti(token, "ports", "clitest");
        while (!ports.out().contains("8123") && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
            ports = bhatti(token, "ports", "clitest");
        }
        assertThat(ports.exit()).as(ports.err()).isZero();
        assertThat(ports.out()).startsWith("PORT").containsPattern("8123\\s+" + fx.url() + "/sandboxes/[^/]+/proxy/8123/");
        JsonNode listed = json(bhatti(token, "ports", "clitest", "--json"));
        assertThat(listed.findValuesAsText("container_port")).contains("8123");
    }

    @Test
    @Order(76)
    void publishGivesAPublicUrlThatServesWithoutAKeyUntilUnpublished() throws Exception {
        Run published = bhatti(token, "publish", "clitest", "-p", "8123", "-a", "cli-site");
        assertThat(published.exit()).as(published.err()).isZero();
        String url = fx.url() + "/p/cli-site/";
        assertThat(published.out()).contains("published port 8123 of clitest as cli-site").contains(url);
        assertThat(bhatti(token, "publish", "clitest", "-p", "8123").out()).startsWith("already published: port 8123");
        assertThat(bhatti(token, "publish", "clitest").out()).startsWith("PORT").containsPattern("8123\\s+cli-site\\s+" + url);
        assertThat(json(bhatti(token, "publish", "clitest", "--json")).findValuesAsText("alias")).containsExactly("cli-site");
        Raw anyone = Bhatti.connect(fx.url(), null).raw();
        Raw.Response open = anyone.send("GET", "/p/cli-site/", Map.of(), null);
        assertThat(open.status()).as("no API key needed").isEqualTo(200);
        assertThat(open.text()).contains("Directory listing");
        Run bad = bhatti(token, "publish", "clitest", "-p", "8124", "-a", "Not_Valid");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("Error: alias 'Not_Valid'");
        Run unpublished = bhatti(token, "unpublish", "clitest", "-p", "8123");
        assertThat(unpublished.exit()).as(unpublished.err()).isZero();
        assertThat(anyone.send("GET", "/p/cli-site/", Map.of(), null).status()).isEqualTo(404);
    }

    @Test
    @Order(80)
    void fileWriteFromStdinThenReadAndLsByName() throws Exception {
        Path input = dir.resolve("input.txt");
        Files.writeString(input, "hello from stdin\n");
        Run w = bhattiWithInput(input, token, "file", "write", "clitest", "/workspace/hello.txt");
        assertThat(w.exit()).as(w.err()).isZero();
        assertThat(bhatti(token, "file", "read", "clitest", "/workspace/hello.txt").out()).isEqualTo("hello from stdin\n");
        assertThat(bhatti(token, "file", "ls", "clitest", "/workspace").out()).contains("hello.txt");
    }

    @Test
    @Order(90)
    void psListsSessions() throws Exception {
        Run r = bhatti(token, "ps", "clitest");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("ID").contains("COMMAND").contains("RUNNING").contains("ATTACHED");
    }

    @Test
    @Order(95)
    void stopShowsProgressOnATerminalAndStartNothingWithout() throws Exception {
        Run stopped = fx.onTerminal("stop", "clitest");
        assertThat(stopped.exit()).as(stopped.out()).isZero();
        assertThat(stopped.out()).contains("stopping clitest").contains("\r\033[K").contains("stopped clitest");
        Run started = bhatti(token, "start", "clitest");
        assertThat(started.exit()).as(started.err()).isZero();
        assertThat(started.out()).isEqualTo("started clitest\n");
        assertThat(started.err()).isEmpty();
    }

    @Test
    @Order(97)
    void forkCheckpointRestoreAndCreateFromACheckpoint() throws Exception {
        assertThat(bhatti(token, "exec", "clitest", "--", "sh", "-c", "echo one > /workspace/cp.txt").exit()).isZero();
        Run forked = bhatti(token, "fork", "clitest", "--name", "clikid");
        assertThat(forked.exit()).as(forked.err()).isZero();
        assertThat(forked.out()).startsWith("forked clikid (sb-").contains("from clitest");
        assertThat(bhatti(token, "exec", "clikid", "--", "cat", "/workspace/cp.txt").out()).isEqualTo("one\n");
        Run cp = bhatti(token, "checkpoint", "create", "clikid", "--name", "first", "--json");
        assertThat(cp.exit()).as(cp.err()).isZero();
        String cpId = json(cp).get("id").asText();
        assertThat(bhatti(token, "checkpoint", "list", "clikid").out()).startsWith("ID").contains(cpId).contains("first");
        bhatti(token, "exec", "clikid", "--", "sh", "-c", "echo two > /workspace/cp.txt");
        Run restored = bhatti(token, "restore", "clikid", "first");
        assertThat(restored.exit()).as(restored.err()).isZero();
        assertThat(restored.out()).isEqualTo("restored clikid to checkpoint first\n");
        assertThat(bhatti(token, "exec", "clikid", "--", "cat", "/workspace/cp.txt").out()).isEqualTo("one\n");
        Run made = bhatti(token, "create", "--name", "clicopy", "--checkpoint", cpId);
        assertThat(made.exit()).as(made.err()).isZero();
        assertThat(made.out()).contains("made from checkpoint " + cpId);
        assertThat(bhatti(token, "checkpoint", "delete", "clikid", "first").exit()).isZero();
        assertThat(bhatti(token, "checkpoint", "list", "clikid", "--json").out().replaceAll("\\s", "")).isEqualTo("[]");
        Run bad = bhatti(token, "fork", "clitest", "--count", "11");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("count must be 1..10");
        assertThat(bhatti(token, "destroy", "clikid", "-y").exit()).isZero();
        assertThat(bhatti(token, "destroy", "clicopy", "-y").exit()).isZero();
    }

    @Test
    @Order(100)
    void editChangesLabels() throws Exception {
        Run r = bhatti(token, "edit", "clitest", "--label", "tier=gold", "--label-delete", "suite");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(bhatti(token, "list", "-o", "wide").out()).contains("tier=gold").doesNotContain("suite=cli");
    }

    @Test
    @Order(110)
    void destroyRemovesTheSandbox() throws Exception {
        Run r = bhatti(token, "destroy", "clitest", "-y");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(bhatti(token, "list").out()).doesNotContain("clitest");
    }

    @Test
    @Order(115)
    void createFromATemplateWithAFileAndAReadOnlyVolume() throws Exception {
        Path script = dir.resolve("hello.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$GREETING from a file\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Run created = bhatti(token, "create", "--name", "clifiles", "--template", "clitpl",
                "--file", script + ":/workspace/hello.sh", "--volume", "clivol:/mnt/data:ro");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("created: clifiles");

        Run ran = bhatti(token, "exec", "clifiles", "--", "sh", "-c", "/workspace/hello.sh; grep ' /mnt/data ' /proc/mounts");
        assertThat(ran.exit()).as(ran.err()).isZero();
        assertThat(ran.out()).contains("hello from a file").containsPattern(" /mnt/data ext4 ro[ ,]");
        assertThat(bhatti(token, "volume", "list").out()).contains("attached").contains(":/mnt/data:ro");
        Run destroyed = bhatti(token, "destroy", "clifiles", "-y");
        assertThat(destroyed.exit()).as(destroyed.err()).isZero();
    }

    @Test
    @Order(120)
    void volumeAndTemplateAreDeleted() throws Exception {
        Run volume = bhatti(token, "volume", "delete", "clivol");
        assertThat(volume.exit()).as(volume.err()).isZero();
        assertThat(volume.out()).contains("volume clivol deleted");
        Run template = bhatti(token, "template", "rm", "clitpl");
        assertThat(template.exit()).as(template.err()).isZero();
        assertThat(bhatti(token, "volume", "list").out()).doesNotContain("clivol");
        assertThat(bhatti(token, "template", "list").out()).doesNotContain("clitpl");
        Run again = bhatti(token, "volume", "delete", "clivol");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("Error: volume clivol not found");
    }
}

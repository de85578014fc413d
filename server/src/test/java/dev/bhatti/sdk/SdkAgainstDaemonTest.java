package dev.bhatti.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.api.ExecEvent;
import dev.bhatti.api.model.ExecRequest;
import dev.bhatti.api.model.FileEntry;
import dev.bhatti.api.model.SandboxSpec;
import dev.bhatti.server.Daemon;
import dev.bhatti.server.config.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SDK against a real daemon with real VMs (started in-process on a free port with its own
 * data dir, as the server tests do): one sandbox for the calls, one more for the README example.
 * It lives in the server module because the server's tests use the SDK as their client, and the
 * SDK cannot depend on the server as well (Maven refuses a cycle, test scope included).
 */
class SdkAgainstDaemonTest {
    private static Path dir;
    private static Daemon daemon;
    private static String url;
    private static String key;
    private static Bhatti bhatti;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("bhatti-sdk-test-");
        ServerConfig config = ServerConfig.defaults().withDataDir(dir.resolve("data")).withListen("127.0.0.1:0")
                .withClientConfig(dir.resolve("client/config.yaml")).withRateScale(100)
                .withImageSnapshots(false);
        daemon = Daemon.start(config);
        key = Files.readAllLines(config.clientConfig()).stream().filter(l -> l.startsWith("auth_token: "))
                .map(l -> l.substring("auth_token: ".length())).findFirst().orElseThrow();
        url = "http://127.0.0.1:" + daemon.port();
        bhatti = Bhatti.connect(url, key);
    }

    @AfterAll
    static void stop() throws IOException {
        if (daemon != null) {
            daemon.close();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void sandboxRunsCommandsStreamsOutputAsItHappensAndMovesFiles() throws IOException {
        Sandbox sb = bhatti.sandboxes().create(SandboxSpec.builder().name("sdk").labels(Map.of("t", "sdk")).build());
        try {
            assertThat(sb.view().name()).isEqualTo("sdk");
            assertThat(bhatti.sandboxes().list()).extracting(v -> v.name()).contains("sdk");
            assertThat(bhatti.sandboxes().get("sdk").view().id()).isEqualTo(sb.view().id());

            var r = sb.exec("sh", "-c", "echo out; echo err >&2; exit 3");
            assertThat(r.stdout()).isEqualTo("out\n");
            assertThat(r.stderr()).isEqualTo("err\n");
            assertThat(r.exitCode()).isEqualTo(3);

            List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
            List<ExecEvent> events = Collections.synchronizedList(new ArrayList<>());
            long t0 = System.nanoTime();
            int exit = sb.exec(ExecRequest.of("sh", "-c", "echo a; sleep 3; echo b"), e -> {
                arrivals.add((System.nanoTime() - t0) / 1_000_000);
                events.add(e);
            });
            long total = (System.nanoTime() - t0) / 1_000_000;
            assertThat(exit).isZero();
            assertThat(events.getFirst()).isEqualTo(new ExecEvent.Stdout("a\n"));
            assertThat(events.getLast()).isEqualTo(new ExecEvent.Exit(0));
            assertThat(arrivals.getFirst()).as("first stdout event, ms").isLessThan(1500);
            assertThat(arrivals.getLast()).as("exit event, ms").isGreaterThanOrEqualTo(3000);
            assertThat(total).isGreaterThanOrEqualTo(3000);

            byte[] content = new byte[300_000];
            new java.util.Random(7).nextBytes(content);
            sb.files().write("/tmp/blob.bin", new ByteArrayInputStream(content), content.length, "0640");
            try (InputStream in = sb.files().read("/tmp/blob.bin")) {
                assertThat(in.readAllBytes()).isEqualTo(content);
            }
            var stat = sb.files().stat("/tmp/blob.bin");
            assertThat(stat.size()).isEqualTo(content.length);
            assertThat(stat.isDir()).isFalse();
            assertThat(sb.files().stat("/tmp").isDir()).isTrue();
            assertThat(sb.files().list("/tmp")).extracting(FileEntry::name).contains("blob.bin");
            sb.files().writeString("/tmp/hello.txt", "héllo\n");
            assertThat(sb.files().readString("/tmp/hello.txt")).isEqualTo("héllo\n");

            assertThatThrownBy(() -> sb.files().readBytes("/tmp/missing"))
                    .isInstanceOf(NotFoundException.class)
                    .satisfies(e -> assertThat(((BhattiException) e).code()).isEqualTo(ErrorCode.FILE_NOT_FOUND));
            assertThatThrownBy(() -> sb.exec(ExecRequest.of("true").withUser("nobody")))
                    .isInstanceOf(InvalidRequestException.class)
                    .satisfies(e -> assertThat(((BhattiException) e).code()).isEqualTo(ErrorCode.INVALID_USER));
        } finally {
            sb.destroy();
        }
    }

    @Test
    void errorsAreTypedByFamilyAndCarryTheDaemonsMessage() {
        assertThatThrownBy(() -> bhatti.sandboxes().get("no-such-sandbox"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no-such-sandbox")
                .satisfies(e -> {
                    BhattiException b = (BhattiException) e;
                    assertThat(b.code()).isEqualTo(ErrorCode.SANDBOX_NOT_FOUND);
                    assertThat(b.status()).isEqualTo(404);
                });
        assertThatThrownBy(() -> Bhatti.connect(url, "bht_wrong").sandboxes().list())
                .isInstanceOf(UnauthorizedException.class)
                .satisfies(e -> assertThat(((BhattiException) e).status()).isEqualTo(401));
        assertThatThrownBy(() -> bhatti.sandboxes().create(SandboxSpec.builder().name("Bad Name!").build()))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(bhatti.sandboxes().list()).extracting(v -> v.name()).doesNotContain("Bad Name!");
        Raw.Response raw = bhatti.raw().send("GET", "/sandboxes/nope", Map.of(), null);
        assertThat(raw.status()).isEqualTo(404);
        assertThat(raw.json()).isInstanceOfSatisfying(Map.class, m -> assertThat(m.get("code")).isEqualTo("sandbox_not_found"));
        assertThat(bhatti.health().status()).isEqualTo("ok");
    }

    @Test
    void readmeExampleCompilesAndRunsAgainstTheDaemon() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize()
                .resolveSibling("sdk/README.md"));
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("a java block in sdk/README.md").isTrue();
        String source = m.group(1);
        assertThat(readme.indexOf("```java")).as("README opens with the example").isLessThan(80);
        Path src = dir.resolve("readme/Example.java");
        Path out = dir.resolve("readme/classes");
        Files.createDirectories(out);
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "-d", out.toString(), "-cp",
                System.getProperty("java.class.path"), src.toString());
        assertThat(rc).as(diagnostics.toString()).isZero();

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass("Example").getMethod("main", String[].class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[] {url, key});
        } finally {
            System.setOut(original);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)) // the daemon's own log lines may come in between
                .contains("hello from Linux\n1\n2\n3\nkept in the sandbox\nexit 0\n");
        assertThat(bhatti.sandboxes().list()).extracting(v -> v.name()).doesNotContain("readme");
    }
}

package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.bhatti.proto.Json;
import dev.bhatti.sdk.Bhatti;
import dev.bhatti.sdk.Raw;
import dev.bhatti.server.Daemon;
import dev.bhatti.server.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * The daemon's data directory against another local user: a real daemon with a real sandbox (with
 * an attached volume) writes its files; then {@code nobody} tries to list and read every one of
 * them, the store's bytes are searched for the sandbox's agent token, and a data directory made
 * world-readable is repaired by the next start. The data dir's parent is made traversable (0755)
 * so only the data dir's own modes stand between {@code nobody} and the files.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataDirPermissionsTest {
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private static Path parent;
    private static ServerConfig config;
    private static Daemon daemon;
    private static String admin;
    private static String sandboxId;

    @BeforeAll
    static void start() throws Exception {
        parent = Files.createTempDirectory("bhatti-perms-test-");
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        config = ServerConfig.defaults().withDataDir(parent.resolve("data")).withListen("127.0.0.1:0")
                .withClientConfig(parent.resolve("client/config.yaml")).withRateScale(100).withImageSnapshots(false);
        daemon = Daemon.start(config);
        admin = Files.readAllLines(config.clientConfig()).stream().filter(l -> l.startsWith("auth_token: "))
                .map(l -> l.substring("auth_token: ".length())).findFirst().orElseThrow();
        Raw.Response volume = post("/volumes", "{\"name\":\"data\",\"size_mb\":16}");
        assertThat(volume.status()).as(volume.text()).isEqualTo(201);
        Raw.Response created = post("/sandboxes",
                "{\"name\":\"perm\",\"volumes\":[{\"name\":\"data\",\"mount\":\"/data\"}]}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        sandboxId = (String) json(created.text()).get("id");
    }

    @AfterAll
    static void stop() throws IOException {
        if (daemon != null) {
            daemon.close();
        }
        if (parent != null) {
            try (Stream<Path> all = Files.walk(parent)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    @Order(1)
    void anotherLocalUserCanNeitherListNorReadAnythingUnderTheDataDir() throws Exception {
        assertThat(asNobody("ls", parent.toString()).exit()).as("nobody can reach the data dir's parent").isZero();
        List<Path> paths = everything();
        assertThat(paths).as("the sandbox's files and the volume exist")
                .anyMatch(p -> p.endsWith("root.qcow2")).anyMatch(p -> p.endsWith("config.ext4"))
                .anyMatch(p -> p.endsWith("mem")).anyMatch(p -> p.endsWith("serial.log"))
                .anyMatch(p -> p.endsWith("qmp.sock")).anyMatch(p -> p.endsWith("state.db"))
                .anyMatch(p -> p.endsWith("age.key")).anyMatch(p -> p.endsWith("data.ext4"));
        List<String> readable = new ArrayList<>();
        for (Path p : paths) {
            Attempt a = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? asNobody("ls", "-a", p.toString())
                    : asNobody("cat", p.toString());
            if (a.exit() == 0) {
                readable.add(p + " (" + mode(p) + ")");
            }
        }
        assertThat(readable).as("paths nobody could list or read").isEmpty();
        assertThat(exposed()).as("paths with group/other permission bits").isEmpty();
    }

    @Test
    @Order(2)
    void theStoreFilesDoNotContainTheAgentTokenInPlaintext() throws Exception {
        String token = daemon.engine().exportState(sandboxId).token();
        assertThat(token).hasSizeGreaterThan(16);
        for (String name : List.of("state.db", "state.db-wal")) {
            Path f = config.dataDir().resolve(name);
            if (Files.exists(f)) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(bytes.contains(token)).as(name + " contains the agent token in plaintext").isFalse();
            }
        }
    }

    @Test
    @Order(3)
    void startUpRepairsAWorldReadableDataDirAndTheSandboxStillWorks() throws Exception {
        daemon.shutdown();
        daemon = null;
        try (Stream<Path> all = Files.walk(config.dataDir())) {
            for (Path p : all.filter(p -> !Files.isSymbolicLink(p)).toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        assertThat(exposed()).isNotEmpty();
        Logger logger = (Logger) LoggerFactory.getLogger("dev.bhatti.server");
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        try {
            daemon = Daemon.start(config);
        } finally {
            logger.detachAppender(events);
        }
        assertThat(exposed()).as("paths with group/other permission bits after the restart").isEmpty();
        List<String> fixed = events.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("event=permissions_fixed")).toList();
        assertThat(fixed).contains("event=permissions_fixed path=state.db was=0644 now=0600 count=1",
                "event=permissions_fixed path=. was=0755 now=0700 count=1",
                "event=permissions_fixed path=sandboxes/<id>/root.qcow2 was=0644 now=0600 count=1",
                "event=permissions_fixed path=volumes/<user>/<name>.ext4 was=0644 now=0600 count=1");
        assertThat(fixed).as("one line per path class").doesNotHaveDuplicates()
                .noneMatch(m -> m.contains(sandboxId));
        Raw.Response exec = post("/sandboxes/perm/exec", "{\"cmd\":[\"sh\",\"-c\",\"echo ok\"]}");
        assertThat(exec.status()).as(exec.text()).isEqualTo(200);
        assertThat(json(exec.text())).containsEntry("stdout", "ok\n").containsEntry("exit_code", 0);
    }

    private record Attempt(int exit, String output) {}

    private static Attempt asNobody(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        full.addAll(List.of(command));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readNBytes(4096);
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Attempt(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** The data dir and everything under it, symbolic links excluded. */
    private static List<Path> everything() throws IOException {
        try (Stream<Path> all = Files.walk(config.dataDir())) {
            return all.filter(p -> !Files.isSymbolicLink(p)).toList();
        }
    }

    private static List<String> exposed() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path p : everything()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            if (perms.stream().anyMatch(GROUP_OR_OTHER::contains)) {
                bad.add(config.dataDir().relativize(p) + " " + PosixFilePermissions.toString(perms));
            }
        }
        return bad;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    /** A JSON POST with the admin key to the daemon running now (its port changes with each start). */
    private static Raw.Response post(String path, String body) {
        return Bhatti.connect("http://127.0.0.1:" + daemon.port(), admin).raw().json("POST", path, body);
    }

    private static Map<String, Object> json(String body) throws Exception {
        return Json.mapper().readValue(body, new TypeReference<>() {});
    }
}

package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.sdk.BhattiException;
import dev.bhatti.sdk.ConflictException;
import dev.bhatti.sdk.InvalidRequestException;
import dev.bhatti.sdk.LengthRequiredException;
import dev.bhatti.sdk.NotFoundException;
import dev.bhatti.sdk.PayloadTooLargeException;
import dev.bhatti.sdk.Raw;
import dev.bhatti.sdk.UnauthorizedException;
import dev.bhatti.server.api.DocumentedCases.Case;
import dev.bhatti.server.store.Attachment;
import dev.bhatti.server.store.PublishRow;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.SqliteStore;
import dev.bhatti.server.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Sends every bad request {@code openapi.json} documents ({@link DocumentedCases}) to a real
 * daemon holding the document's world, and checks the status, the code, a message, the SDK's
 * typed exception, the answer's schema, and that nothing was created, changed or woken.
 */
class DocumentedBadRequestsTest {
    /**
     * Documented codes (of every operation, or of one: "METHOD /path code") no request against the
     * world can cause, each with where it is tested: they need a running guest, a fault, another
     * user or a race. Every other documented client error must have a case.
     */
    private static final Map<String, String> ELSEWHERE = Map.of(
            "400 agent_refused", "the guest's agent refuses: needs a running VM (SandboxApiTest, AgentErrorTextTest)",
            "404 file_not_found", "needs a running VM to look in (SdkAgainstDaemonTest)",
            "404 session_not_found", "needs a running VM's agent (TerminalAndLifecycleTest, AgentErrorTextTest)",
            "400 disk_too_large", "needs a user whose max_root_disk_mb is under the maximum (DiskQuotaTest)",
            "400 invalid_request", "the engine refusing a spec that passed validation (ErrorResponsesTest)",
            "409 copy_unsupported", "needs a running VM with a persistent volume attached read-write (CopyApiTest)",
            "409 network_policy_unsupported", "needs a daemon in the user network mode (EgressApiTest)",
            "POST /sandboxes/{id}/checkpoints 409 name_conflict", "needs a checkpoint of that name: a running VM (CopyApiTest)",
            "POST /sandboxes/{id}/restore 404 checkpoint_not_found", "the sandbox's VM is checked first: needs a running VM "
                    + "(CopyApiTest)",
            "POST /sandboxes 409 name_conflict", "only a create that loses a race for the name: a taken name answers "
                    + "the existing sandbox, 200 (SandboxApiTest)");

    /** Codes only another user's key causes (the world's key is the admin's). */
    private static final Map<String, String> ELSEWHERE_OTHER_USER = Map.of(
            "403 admin_only", "needs a key of a user other than the admin (ObservabilityApiTest)");

    private static final Map<ErrorCode.Family, Class<? extends BhattiException>> TYPED = Map.of(
            ErrorCode.Family.INVALID, InvalidRequestException.class,
            ErrorCode.Family.UNAUTHENTICATED, UnauthorizedException.class,
            ErrorCode.Family.NOT_FOUND, NotFoundException.class,
            ErrorCode.Family.CONFLICT, ConflictException.class,
            ErrorCode.Family.LENGTH_REQUIRED, LengthRequiredException.class,
            ErrorCode.Family.TOO_LARGE, PayloadTooLargeException.class);

    private static DaemonFixture fx;
    private static String world;

    @BeforeAll
    static void start() throws Exception {
        fx = new DaemonFixture();
        String k = fx.adminKey;
        for (String[] r : new String[][] {{"/templates", "{\"name\":\"python\"}"},
                {"/secrets", "{\"name\":\"API_TOKEN\",\"value\":\"s3cret\"}"},
                {"/volumes", "{\"name\":\"cache\",\"size_mb\":16}"}, {"/volumes", "{\"name\":\"scratch\",\"size_mb\":16}"}}) {
            Raw.Response made = fx.post(k, r[0], r[1]);
            assertThat(made.status()).as(made.text()).isEqualTo(201);
        }
        try (Store store = SqliteStore.open(fx.daemon.config().dataDir())) {
            String user = store.userByName("admin").orElseThrow().id();
            Instant now = Instant.now();
            store.insertSandbox(new SandboxRow("sb-0000000000d1", user, "demo", "stopped", 1, 512, null, "minimal", null,
                    false, Map.of("team", "a"), now, now, null));
            store.insertSandbox(new SandboxRow("sb-0000000000b1", user, "broken", "failed", 1, 512, null, "minimal", null,
                    false, Map.of(), now, now, null));
            assertThat(store.attach(new Attachment(user, "cache", "sb-0000000000d1", "/cache", false))).isTrue();
            store.insertPublish(new PublishRow("pub_000000d1", user, "sb-0000000000d1", 8080, "demo-web", now));
            store.insertPublish(new PublishRow("pub_000000b1", user, "sb-0000000000b1", 8080, "broken-web", now));
        }
        world = world();
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedBadRequestIsAnsweredAsDocumentedAndChangesNothing() {
        return DocumentedCases.all(OpenApiContract.document()).stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    @Test
    void everyDocumentedClientErrorOfEveryOperationHasACase() {
        Map<String, Set<String>> covered = DocumentedCases.all(OpenApiContract.document()).stream().collect(
                Collectors.groupingBy(Case::operation, Collectors.mapping(c -> c.status() + " " + c.code(),
                        Collectors.toSet())));
        List<String> missing = new ArrayList<>();
        DocumentedCases.documentedCodes(OpenApiContract.document()).forEach((op, codes) -> codes.stream()
                .filter(code -> !ELSEWHERE.containsKey(code) && !ELSEWHERE_OTHER_USER.containsKey(code) && !ELSEWHERE.containsKey(op + " " + code) && !covered.getOrDefault(op, Set.of()).contains(code))
                .forEach(code -> missing.add(op + " " + code)));
        assertThat(missing).as("documented client errors without a case in openapi.json's x-bad-requests").isEmpty();
    }

    @Test
    void everyCaseAnswersACodeItsOperationDocuments() {
        Map<String, Set<String>> documented = DocumentedCases.documentedCodes(OpenApiContract.document());
        List<String> undocumented = DocumentedCases.all(OpenApiContract.document()).stream()
                .filter(c -> !documented.getOrDefault(c.operation(), Set.of()).contains(c.status() + " " + c.code()))
                .map(Case::name).toList();
        assertThat(undocumented).isEmpty();
    }

    private static void check(Case c) throws Exception {
        String key = switch (c.key()) {
            case USER -> fx.adminKey;
            case NONE -> null;
            case WRONG -> DocumentedCases.wrongKey();
        };
        Raw.Response r = fx.send(key, c.method(), c.path(), c.headers(), c.body());
        assertThat(r.status()).as(c.method() + " " + c.path() + " answered " + r.text()).isEqualTo(c.status());
        Map<String, Object> body = SandboxApiTest.json(r.text());
        assertThat(body).as(r.text()).containsEntry("code", c.code());
        String message = (String) body.get("error");
        assertThat(message).as("the message of " + r.text()).isNotBlank();
        BhattiException typed = r.error().orElseThrow();
        ErrorCode code = ErrorCode.of(c.code()).orElseThrow();
        assertThat(typed).isInstanceOf(TYPED.get(code.family()));
        assertThat(typed.code()).isEqualTo(code);
        assertThat(typed.status()).isEqualTo(c.status());
        assertThat(typed.getMessage()).isEqualTo(message);
        assertThat(world()).as("what the user has, after " + c.name()).isEqualTo(world);
    }

    /** What the user sees of their resources, and the files of the data dir (store and logs aside). */
    private static String world() throws IOException {
        StringBuilder out = new StringBuilder();
        for (String path : List.of("/sandboxes", "/templates", "/secrets", "/volumes", "/sandboxes/demo/publish",
                "/sandboxes/broken/publish", "/ports")) {
            Raw.Response r = fx.get(fx.adminKey, path);
            out.append(path).append(' ').append(r.status()).append(' ').append(r.text()).append('\n');
        }
        Path data = fx.daemon.config().dataDir();
        Set<String> files = new TreeSet<>();
        try (Stream<Path> all = Files.walk(data)) {
            all.map(p -> data.relativize(p).toString())
                    .filter(p -> !p.contains(".db") && !p.endsWith(".log") && !p.startsWith("logs"))
                    .forEach(files::add);
        }
        return out.append(files).toString();
    }
}

package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bhatti.api.ErrorCode;
import dev.bhatti.sdk.Raw;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document ({@code server/src/main/resources/openapi.json}) against the server: it
 * names exactly the routes Javalin has, its error codes are exactly {@link ErrorCode}'s, and the
 * daemon serves it without a key.
 */
class OpenApiDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete", "head", "options");

    @Test
    void documentNamesExactlyTheRoutesTheServerRegisters() {
        // Never started: only its routes are read. Without a proxy zone every route is registered.
        ApiContext context = new ApiContext("test", null, null, null, null, null, Map::of, Clock.systemUTC(), 1, null, null, null, null, null);
        ApiServer server = new ApiServer(context, "127.0.0.1", 0);
        Set<String> registered = new TreeSet<>();
        for (String endpoint : server.endpoints()) {
            // Before/after filters and upgrade hooks are not routes; a WebSocket route is listed as GET.
            // The E2B-compatible API is E2B's contract, not ours (docs/e2b.md).
            if (METHODS.contains(endpoint.substring(0, endpoint.indexOf(' ')).toLowerCase()) && !endpoint.contains(" /e2b/")) {
                registered.add(endpoint.replaceAll("<(\\w+)>", "{$1}"));
            }
        }
        Set<String> documented = new TreeSet<>();
        OpenApiContract.document().get("paths").properties().forEach(path -> path.getValue().properties().stream()
                .filter(op -> METHODS.contains(op.getKey()))
                .forEach(op -> documented.add(op.getKey().toUpperCase() + " " + path.getKey())));
        Set<String> missing = new TreeSet<>(registered);
        missing.removeAll(documented);
        Set<String> extra = new TreeSet<>(documented);
        extra.removeAll(registered);
        assertThat(missing).as("routes the server registers that openapi.json does not document").isEmpty();
        assertThat(extra).as("routes openapi.json documents that the server does not register").isEmpty();
    }

    @Test
    void errorSchemaCodesAreExactlyTheErrorCodesWithTheirStatusAndMeaning() {
        JsonNode doc = OpenApiContract.document();
        List<String> enumCodes = new ArrayList<>();
        doc.at("/components/schemas/Error/properties/code/enum").forEach(c -> enumCodes.add(c.asText()));
        assertThat(enumCodes).containsExactlyElementsOf(Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList());
        JsonNode catalogue = doc.get("x-error-codes");
        assertThat(catalogue.size()).isEqualTo(ErrorCode.values().length);
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(catalogue.at("/" + code.code() + "/status").asInt()).as(code.code()).isEqualTo(code.status());
            assertThat(catalogue.at("/" + code.code() + "/meaning").asText()).as(code.code()).isEqualTo(code.meaning());
        }
    }

    @Test
    void everyCodeAnOperationListsIsAnErrorCodeOfTheResponsesStatus() {
        List<String> wrong = new ArrayList<>();
        OpenApiContract.errorCodesByResponse().forEach((where, codes) -> {
            int status = Integer.parseInt(where.substring(where.lastIndexOf(' ') + 1));
            for (String c : codes) {
                var code = ErrorCode.of(c);
                if (code.isEmpty() || code.get().status() != status) {
                    wrong.add(where + ": " + c);
                }
            }
        });
        assertThat(wrong).as("codes listed under a status they are not answered with, or not in ErrorCode").isEmpty();
    }

    @Test
    void daemonServesTheDocumentWithoutAKey() throws Exception {
        try (DaemonFixture fx = new DaemonFixture()) {
            Raw.Response r = fx.get(null, "/openapi.json");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            JsonNode served = new ObjectMapper().readTree(r.text());
            assertThat(served.get("openapi").asText()).startsWith("3.1.");
            assertThat(served).isEqualTo(OpenApiContract.document());
            for (ErrorCode code : ErrorCode.values()) {
                assertThat(r.text()).as(code.code()).contains("\"" + code.code() + "\"");
            }
        }
    }
}

package dev.bhatti.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import dev.bhatti.sdk.Raw;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks real responses against {@code openapi.json}: the operation is found by its path
 * template, its status must be documented, its content type one the document names, and a JSON
 * body (each line of an NDJSON stream) must validate against the response's schema (JSON Schema
 * 2020-12 by networknt's validator, OpenAPI 3.1 dialect). A violation is an {@link AssertionError}
 * naming the route, the status and the schema errors.
 */
final class OpenApiContract {
    private static final String LOCATION = "classpath:openapi.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNode DOCUMENT = load();
    private static final List<Route> ROUTES = routes();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDialect(Dialects.getOpenApi31());
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    /**
     * Answers the server gives today with a status other than their code's ({@code ErrorCode}
     * says 404 for every *_not_found): checked as the documented status. Remove an entry once the
     * server answers the code's status.
     */
    private OpenApiContract() {}

    /** The document as the repository keeps it. */
    static JsonNode document() {
        return DOCUMENT.deepCopy();
    }

    /** A path template, matched as a regex; a path item's {@code x-greedy-parameter} may span slashes. */
    private record Route(String template, Pattern pattern, JsonNode item) {}

    /** Checks one exchange; {@code path} may carry a query, which is ignored. */
    static void verify(String method, String path, Raw.Response response) {
        verify(method, path, response.status(), response.header("Content-Type").orElse(null), response.text());
    }

    static void verify(String method, String rawPath, int status, String contentType, String body) {
        // The server resolves dot segments before routing (/./health/../sandboxes is /sandboxes).
        String path = URI.create(rawPath.contains("?") ? rawPath.substring(0, rawPath.indexOf('?')) : rawPath)
                .normalize().getRawPath();
        String m = method.toLowerCase(Locale.ROOT);
        String exchange = method + " " + rawPath + " → " + status;
        Optional<Route> route = ROUTES.stream().filter(r -> r.pattern().matcher(path).matches()).findFirst();
        JsonNode response;
        String where;
        if (route.isEmpty()) {
            where = "#/components/responses/RouteNotFound";
            response = require(exchange, status == 404, where, "no path of openapi.json matches " + path
                    + ", so the answer must be 404");
        } else if (!route.get().item().has(m)) {
            where = "#/components/responses/MethodNotAllowed";
            response = require(exchange, status == 405, where, route.get().template() + " has no " + method
                    + " in openapi.json, so the answer must be 405");
        } else {
            JsonNode responses = route.get().item().get(m).get("responses");
            String key = Integer.toString(status);
            where = "#/paths/" + escape(route.get().template()) + "/" + m + "/responses/" + key;
            if (!responses.has(key)) {
                if (!responses.has("default")) {
                    throw new AssertionError("OpenAPI contract: " + exchange + ": status " + status
                            + " is not documented for " + method + " " + route.get().template() + " (documented: "
                            + iterable(responses.fieldNames()) + "); body: " + abbreviate(body));
                }
                return; // whatever the service behind a proxy answers
            }
            if (responses.has("default") && !isApiError(body)) {
                return; // a proxied answer with a status the API also uses
            }
            response = responses.get(key);
        }
        if (response.has("$ref")) {
            where = response.get("$ref").asText();
            response = DOCUMENT.at(where.substring(1));
        }
        checkBody(exchange, m, where, response, contentType, body);
    }

    private static JsonNode require(String exchange, boolean ok, String where, String message) {
        if (!ok) {
            throw new AssertionError("OpenAPI contract: " + exchange + ": " + message);
        }
        return DOCUMENT.at(where.substring(1));
    }

    private static void checkBody(String exchange, String method, String where, JsonNode response, String contentType,
                                  String body) {
        JsonNode content = response.get("content");
        boolean empty = body == null || body.isEmpty();
        if (method.equals("head") || content == null) {
            if (content == null && !empty && !method.equals("head")) {
                throw new AssertionError("OpenAPI contract: " + exchange + ": documented without a body, got "
                        + abbreviate(body));
            }
            return;
        }
        String type = contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!content.has(type)) {
            throw new AssertionError("OpenAPI contract: " + exchange + ": content type '" + contentType
                    + "' is not one of " + iterable(content.fieldNames()) + " documented at " + where);
        }
        String pointer = where + "/content/" + escape(type) + "/schema";
        if (type.equals("application/json")) {
            validate(exchange, pointer, body);
        } else if (type.equals("application/x-ndjson")) {
            for (String line : body.split("\n")) {
                if (!line.isBlank()) {
                    validate(exchange, pointer, line);
                }
            }
        }
    }

    private static void validate(String exchange, String pointer, String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("OpenAPI contract: " + exchange + ": the body is not JSON: " + abbreviate(json), e);
        }
        Schema schema = SCHEMAS.computeIfAbsent(pointer, p -> REGISTRY.getSchema(SchemaLocation.of(LOCATION + p)));
        List<Error> errors = schema.validate(node);
        if (!errors.isEmpty()) {
            throw new AssertionError("OpenAPI contract: " + exchange + ": the body does not match " + pointer + ": "
                    + errors.stream().map(Error::toString).toList() + "; body: " + abbreviate(json));
        }
    }

    /** Every response's listed error codes, keyed {@code "METHOD path status"}. */
    static Map<String, List<String>> errorCodesByResponse() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        DOCUMENT.get("paths").properties().forEach(p -> p.getValue().properties().forEach(op -> {
            JsonNode responses = op.getValue().get("responses");
            if (responses == null) {
                return;
            }
            responses.properties().forEach(r -> {
                JsonNode response = r.getValue().has("$ref")
                        ? DOCUMENT.at(r.getValue().get("$ref").asText().substring(1)) : r.getValue();
                List<String> codes = codes(response);
                if (!codes.isEmpty()) {
                    out.put(op.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey() + " " + r.getKey(), codes);
                }
            });
        }));
        return out;
    }

    /** The codes of an error response: its {@code code} enum, in the schema or an {@code allOf} part. */
    static List<String> codes(JsonNode response) {
        List<String> out = new ArrayList<>();
        JsonNode schema = response.at("/content/application~1json/schema");
        if (schema.has("$ref")) {
            schema = DOCUMENT.at(schema.get("$ref").asText().substring(1));
        }
        for (JsonNode part : schema.has("allOf") ? schema.get("allOf") : MAPPER.createArrayNode().add(schema)) {
            part.at("/properties/code/enum").forEach(c -> out.add(c.asText()));
        }
        return out;
    }

    private static String code(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : MAPPER.readTree(body);
            return node == null ? null : node.path("code").asText(null);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static boolean isApiError(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : MAPPER.readTree(body);
            return node != null && node.has("error") && (node.has("code") || node.has("request_id"));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static List<Route> routes() {
        List<Route> out = new ArrayList<>();
        DOCUMENT.get("paths").properties().forEach(p -> {
            String greedy = p.getValue().path("x-greedy-parameter").asText(null);
            StringBuilder regex = new StringBuilder();
            for (String part : p.getKey().split("(?=\\{)|(?<=\\})")) {
                if (part.startsWith("{")) {
                    regex.append(part.equals("{" + greedy + "}") ? ".*" : "[^/]+");
                } else {
                    regex.append(Pattern.quote(part));
                }
            }
            out.add(new Route(p.getKey(), Pattern.compile(regex.toString()), p.getValue()));
        });
        return List.copyOf(out);
    }

    private static String escape(String pointerPart) {
        return pointerPart.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    private static String abbreviate(String body) {
        return body == null ? "(none)" : body.length() > 400 ? body.substring(0, 400) + "…" : body;
    }

    private static JsonNode load() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/openapi.json")) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read openapi.json", e);
        }
    }
}

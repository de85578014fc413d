package dev.bhatti.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The bad requests {@code openapi.json} documents, as cases to send: each operation's
 * {@code x-bad-requests} examples, plus the ones every operation of a kind has (no key, a wrong
 * key, an unknown resource, a body that is not JSON, a body over the 1 MiB JSON cap). The world
 * they assume is the document's {@code info.x-bad-requests-world}.
 */
final class DocumentedCases {
    /** Who sends a case: the world's user, nobody, or a key the daemon does not know. */
    enum Key { USER, NONE, WRONG }

    /** One request and the answer the document promises for it. */
    record Case(String operation, String summary, Key key, String method, String path, Map<String, String> headers,
                byte[] body, int status, String code) {
        String name() {
            return operation + ": " + summary + " → " + status + " " + code;
        }
    }

    /** The statuses of client errors a request alone can cause; the others need a fault or a load. */
    static final Set<String> CLIENT_ERRORS = Set.of("400", "401", "404", "409", "411", "413");

    /** A body each operation accepts, for the cases about something else (keys, unknown resources). */
    private static final Map<String, String> VALID_BODIES = Map.of(
            "POST /sandboxes/{id}/exec", "{\"cmd\":[\"true\"]}",
            "POST /sandboxes/{id}/restore", "{\"checkpoint\":\"cp-0000000000d1\"}",
            "POST /sandboxes/{id}/publish", "{\"port\":3000}",
            "PATCH /sandboxes/{id}", "{\"labels_add\":{\"a\":\"b\"}}",
            "POST /templates", "{\"name\":\"t9\"}",
            "POST /secrets", "{\"name\":\"T9\",\"value\":\"v\"}",
            "POST /volumes", "{\"name\":\"v9\",\"size_mb\":16}");
    /** A query each operation accepts, for the cases about something else. */
    private static final Map<String, String> VALID_QUERIES = Map.of(
            "GET /sandboxes/{id}/files", "?path=/etc/hosts",
            "PUT /sandboxes/{id}/files", "?path=/tmp/x");
    private static final Map<String, String> UPGRADE = Map.of("Connection", "Upgrade", "Upgrade", "websocket",
            "Sec-WebSocket-Version", "13", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    private static final String WRONG_KEY = "bht_" + "0".repeat(64);
    private static final List<String> METHODS = List.of("get", "put", "post", "patch", "delete");

    private DocumentedCases() {}

    static String wrongKey() {
        return WRONG_KEY;
    }

    /** {@code METHOD /template} of every documented operation, with its documented client-error codes. */
    static Map<String, Set<String>> documentedCodes(JsonNode doc) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        doc.get("paths").properties().forEach(path -> METHODS.forEach(m -> {
            JsonNode op = path.getValue().get(m);
            if (op == null) {
                return;
            }
            Set<String> codes = new TreeSet<>();
            op.get("responses").properties().forEach(r -> {
                if (CLIENT_ERRORS.contains(r.getKey())) {
                    JsonNode response = resolve(doc, r.getValue());
                    response.at("/content/application~1json/schema/allOf/1/properties/code/enum")
                            .forEach(c -> codes.add(r.getKey() + " " + c.asText()));
                }
            });
            out.put(operation(m, path.getKey()), codes);
        }));
        return out;
    }

    /** Every case, in document order. */
    static List<Case> all(JsonNode doc) {
        List<Case> cases = new ArrayList<>();
        Map<String, Set<String>> codes = documentedCodes(doc);
        doc.get("paths").properties().forEach(path -> METHODS.forEach(m -> {
            JsonNode op = path.getValue().get(m);
            if (op != null) {
                cases.addAll(generated(codes.get(operation(m, path.getKey())), m, path.getKey(), op));
                op.path("x-bad-requests").forEach(e -> cases.add(example(operation(m, path.getKey()), m, e)));
            }
        }));
        return cases;
    }

    private static List<Case> generated(Set<String> mine, String m, String template, JsonNode op) {
        String operation = operation(m, template);
        String method = m.toUpperCase(Locale.ROOT);
        String query = VALID_QUERIES.getOrDefault(operation, "");
        String path = fill(template, null) + query;
        byte[] valid = bytes(VALID_BODIES.getOrDefault(operation, jsonBody(op) ? "{}" : ""));
        // A WebSocket route answers only upgrade requests (any other request to it is route_not_found).
        Map<String, String> headers = op.path("responses").has("101") ? UPGRADE : Map.of();
        List<Case> cases = new ArrayList<>();
        if (mine.contains("401 unauthorized")) {
            cases.add(new Case(operation, "no key", Key.NONE, method, path, headers, valid, 401, "unauthorized"));
            cases.add(new Case(operation, "a key the daemon does not know", Key.WRONG, method, path, headers, valid,
                    401, "unauthorized"));
        }
        for (String unknown : List.of("sandbox_not_found", "template_not_found", "secret_not_found", "volume_not_found",
                "alias_not_found")) {
            String missing = fill(template, unknown) + query;
            if (mine.contains("404 " + unknown) && !missing.equals(path)) {
                cases.add(new Case(operation, "an unknown resource", Key.USER, method, missing, headers, valid, 404,
                        unknown));
            }
        }
        if (jsonBody(op)) {
            Map<String, String> json = Map.of("Content-Type", "application/json");
            cases.add(new Case(operation, "a body that is not JSON", Key.USER, method, path, json, bytes("{not json"),
                    400, "invalid_json"));
            cases.add(new Case(operation, "a JSON array instead of an object", Key.USER, method, path, json,
                    bytes("[1,2]"), 400, "invalid_json"));
            cases.add(new Case(operation, "a body over the 1 MiB JSON cap", Key.USER, method, path, json,
                    bytes("{\"name\":\"" + "a".repeat(1 << 20) + "\"}"), 413, "payload_too_large"));
        }
        return cases;
    }

    private static Case example(String operation, String m, JsonNode e) {
        Map<String, String> headers = new LinkedHashMap<>();
        e.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
        byte[] body;
        if (e.has("body")) {
            body = bytes(e.get("body").toString());
            headers.putIfAbsent("Content-Type", "application/json");
        } else if (e.has("body_text")) {
            body = bytes(e.get("body_text").asText());
        } else if (e.has("body_bytes")) {
            body = new byte[e.get("body_bytes").asInt()];
        } else {
            body = new byte[0];
        }
        return new Case(operation, e.get("summary").asText(), Key.USER, m.toUpperCase(Locale.ROOT),
                e.get("path").asText(), headers, body, e.get("status").asInt(), e.get("code").asText());
    }

    /** The template with the world's resources, or with an unknown one for {@code unknown}'s parameter. */
    private static String fill(String template, String unknown) {
        boolean sandboxes = template.startsWith("/sandboxes/");
        String id = sandboxes ? ("sandbox_not_found".equals(unknown) ? "nope" : "demo")
                : "template_not_found".equals(unknown) ? "nope" : "python";
        String name = template.startsWith("/secrets/") ? ("secret_not_found".equals(unknown) ? "NOPE" : "API_TOKEN")
                : "volume_not_found".equals(unknown) ? "nope" : "scratch";
        return template.replace("{id}", id).replace("{name}", name).replace("{sid}", "s1").replace("{port}", "8080")
                .replace("{rest}", "api/items").replace("{checkpoint}", "cp-0000000000d1")
                .replace("{alias}", "alias_not_found".equals(unknown) ? "nope" : "demo-web");
    }

    private static boolean jsonBody(JsonNode op) {
        return op.at("/requestBody/content").has("application/json");
    }

    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        return node.has("$ref") ? doc.at(node.get("$ref").asText().substring(1)) : node;
    }

    private static String operation(String method, String template) {
        return method.toUpperCase(Locale.ROOT) + " " + template;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

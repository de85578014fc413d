package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/api.md} is generated from {@code openapi.json}: this test renders it and fails when
 * the committed file differs. Regenerate with {@value #REGENERATE}.
 */
class ApiReferenceTest {
    static final String REGENERATE = "mvn -B -o -pl server -am test -Dtest=ApiReferenceTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dbhatti.docs.write=true";
    private static final Path FILE = Path.of("..", "docs", "api.md");
    private static final List<String> METHODS = List.of("get", "head", "post", "put", "patch", "delete", "options");

    @Test
    void docsApiMdIsTheDocumentRendered() throws IOException {
        String rendered = render(OpenApiContract.document());
        if (Boolean.getBoolean("bhatti.docs.write")) {
            Files.writeString(FILE, rendered, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(FILE) ? Files.readString(FILE, StandardCharsets.UTF_8) : "";
        assertThat(committed).as("docs/api.md is out of date with openapi.json; regenerate it with: " + REGENERATE)
                .isEqualTo(rendered);
    }

    static String render(JsonNode doc) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(doc.at("/info/title").asText()).append(" ").append(doc.at("/info/version").asText())
                .append("\n\n<!-- Generated from server/src/main/resources/openapi.json by ApiReferenceTest; do not edit.\n     ")
                .append(REGENERATE).append(" -->\n\n")
                .append("The machine-readable form is [`openapi.json`](../server/src/main/resources/openapi.json), "
                        + "served by the daemon at `GET /openapi.json`.\n\n")
                .append(doc.at("/info/description").asText()).append("\n\n")
                .append(doc.at("/info/x-bad-requests-world").asText()).append("\n\n## Routes\n\n| Method | Path | Summary |\n|---|---|---|\n");
        forEachOperation(doc, (path, method, op) -> md.append("| ").append(method.toUpperCase(Locale.ROOT)).append(" | [`")
                .append(path).append("`](#").append(anchor(method, path)).append(") | ").append(cell(op.path("summary").asText()))
                .append(" |\n"));
        String[] tag = {""};
        forEachOperation(doc, (path, method, op) -> {
            String t = op.at("/tags/0").asText();
            if (!t.equals(tag[0])) {
                tag[0] = t;
                md.append("\n## ").append(t).append("\n");
            }
            operation(doc, md, path, method, op);
        });
        md.append("\n## Schemas\n");
        doc.at("/components/schemas").properties().forEach(s -> schema(md, s.getKey(), s.getValue()));
        md.append("\n## Error codes\n\nEvery error body is `{\"error\": message, \"code\": code}`; each code has one status.\n\n"
                + "| Code | Status | Meaning |\n|---|---|---|\n");
        doc.get("x-error-codes").properties().forEach(c -> md.append("| `").append(c.getKey()).append("` | ")
                .append(c.getValue().get("status").asInt()).append(" | ").append(cell(c.getValue().get("meaning").asText()))
                .append(" |\n"));
        return md.toString();
    }

    private interface OperationVisitor {
        void visit(String path, String method, JsonNode op);
    }

    /** Operations grouped by their first tag, in the document's tag order, then in path order. */
    private static void forEachOperation(JsonNode doc, OperationVisitor visitor) {
        for (JsonNode tag : doc.get("tags")) {
            doc.get("paths").properties().forEach(p -> METHODS.stream().filter(m -> p.getValue().has(m))
                    .filter(m -> p.getValue().get(m).at("/tags/0").asText().equals(tag.get("name").asText()))
                    .forEach(m -> visitor.visit(p.getKey(), m, p.getValue().get(m))));
        }
    }

    private static void operation(JsonNode doc, StringBuilder md, String path, String method, JsonNode op) {
        md.append("\n### ").append(method.toUpperCase(Locale.ROOT)).append(" `").append(path).append("`\n\n")
                .append(op.path("summary").asText()).append(op.has("security") ? " — no API key." : ".").append("\n");
        if (op.has("description")) {
            md.append("\n").append(op.get("description").asText()).append("\n");
        }
        List<JsonNode> params = new ArrayList<>();
        doc.at("/paths/" + path.replace("~", "~0").replace("/", "~1") + "/parameters").forEach(params::add);
        op.path("parameters").forEach(params::add);
        if (!params.isEmpty()) {
            md.append("\n| Parameter | In | Type | Required | Description |\n|---|---|---|---|---|\n");
            for (JsonNode p : params) {
                JsonNode param = resolve(doc, p);
                md.append("| `").append(param.get("name").asText()).append("` | ").append(param.get("in").asText())
                        .append(" | ").append(type(param.get("schema"))).append(" | ")
                        .append(param.path("required").asBoolean() ? "yes" : "no").append(" | ")
                        .append(cell(param.path("description").asText())).append(" |\n");
            }
        }
        if (op.has("requestBody")) {
            JsonNode body = op.get("requestBody");
            md.append("\nBody").append(body.path("required").asBoolean() ? " (required)" : "").append(": ")
                    .append(content(body.get("content"))).append(body.has("description")
                            ? " — " + body.get("description").asText() : "").append("\n");
        }
        md.append("\n| Status | Answer |\n|---|---|\n");
        op.get("responses").properties().forEach(r -> {
            JsonNode response = resolve(doc, r.getValue());
            List<String> codes = OpenApiContract.codes(response);
            String answer = codes.isEmpty()
                    ? response.path("description").asText().replaceAll("\\.$", "")
                            + (response.has("content") ? ": " + content(response.get("content")) : "")
                    : codes.stream().map(c -> "`" + c + "`").collect(Collectors.joining(", "));
            String headers = response.has("headers") ? " (headers: " + String.join(", ", names(response.get("headers"))) + ")" : "";
            md.append("| ").append(r.getKey()).append(" | ").append(cell(answer + headers)).append(" |\n");
        });
        if (op.has("x-bad-requests")) {
            md.append("\nBad requests (sent by DocumentedBadRequestsTest):\n\n| Request | Answer |\n|---|---|\n");
            op.get("x-bad-requests").forEach(e -> md.append("| ").append(cell(e.get("summary").asText() + ": `"
                    + e.get("path").asText() + "`" + (e.has("body") ? " `" + shortened(e.get("body").toString()) + "`" : ""))).append(" | ")
                    .append(e.get("status").asInt()).append(" `").append(e.get("code").asText()).append("` |\n"));
        }
    }

    private static void schema(StringBuilder md, String name, JsonNode s) {
        md.append("\n### ").append(name).append("\n\n");
        if (s.has("description")) {
            md.append(s.get("description").asText()).append("\n\n");
        }
        if (s.has("oneOf")) {
            List<String> parts = new ArrayList<>();
            s.get("oneOf").forEach(p -> parts.add(type(p)));
            md.append("One of: ").append(String.join(", ", parts)).append(".\n");
            return;
        }
        Set<String> required = new java.util.HashSet<>();
        s.path("required").forEach(r -> required.add(r.asText()));
        md.append("| Field | Type | Required | Description |\n|---|---|---|---|\n");
        s.path("properties").properties().forEach(p -> md.append("| `").append(p.getKey()).append("` | ")
                .append(cell(type(p.getValue()))).append(" | ").append(required.contains(p.getKey()) ? "yes" : "no")
                .append(" | ").append(cell(p.getValue().path("description").asText())).append(" |\n"));
    }

    private static String content(JsonNode content) {
        List<String> out = new ArrayList<>();
        content.properties().forEach(c -> out.add("`" + c.getKey() + "` " + type(c.getValue().get("schema"))));
        return String.join(" or ", out);
    }

    /** A short type: a schema's name, {@code array of X}, {@code map of string}, or the JSON type with its enum. */
    static String type(JsonNode s) {
        if (s == null) {
            return "";
        }
        if (s.has("$ref")) {
            String ref = s.get("$ref").asText();
            return ref.startsWith("#/components/schemas/") && !ref.contains("/properties/")
                    ? "[" + ref.substring(ref.lastIndexOf('/') + 1) + "](#" + ref.substring(ref.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT) + ")"
                    : "string (an error code)";
        }
        if (s.has("const")) {
            return "`\"" + s.get("const").asText() + "\"`";
        }
        if (s.has("oneOf")) {
            List<String> parts = new ArrayList<>();
            s.get("oneOf").forEach(p -> parts.add(type(p)));
            return String.join(" or ", parts);
        }
        String t = s.path("type").asText("any");
        if (t.equals("array")) {
            return "array of " + type(s.get("items"));
        }
        if (t.equals("object") && s.has("additionalProperties")) {
            return "map of " + type(s.get("additionalProperties"));
        }
        if (s.has("enum")) {
            List<String> values = new ArrayList<>();
            s.get("enum").forEach(v -> values.add("`" + v.asText() + "`"));
            return t + ": " + String.join(", ", values);
        }
        return s.has("format") ? t + " (" + s.get("format").asText() + ")" : t;
    }

    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        return node.has("$ref") ? doc.at(node.get("$ref").asText().substring(1)) : node;
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** GitHub's heading anchor of {@code ### METHOD `path`}. */
    private static String anchor(String method, String path) {
        return (method + " " + path).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }

    private static String shortened(String text) {
        return text.length() <= 100 ? text : text.substring(0, 99) + "…";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}

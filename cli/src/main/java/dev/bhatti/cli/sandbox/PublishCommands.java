package dev.bhatti.cli.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bhatti.cli.api.ApiClient;
import dev.bhatti.cli.api.ApiError;
import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.proto.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti publish} and {@code unpublish}: public preview URLs for a sandbox's ports. */
public final class PublishCommands {
    private static final String FORMAT = "%-6s %-24s %s%n";

    private PublishCommands() {}

    @Command(name = "publish", description = {"Give a port of a sandbox a public URL (no API key needed to open it).",
            "Without -p, lists the sandbox's published ports."})
    public static final class Publish implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Parameters(index = "0", paramLabel = "SANDBOX") String sandbox;
        @Option(names = {"-p", "--port"}, description = "port inside the sandbox (1-65535)") Integer port;
        @Option(names = {"-a", "--alias"}, description = "the URL's name: a-z, 0-9, '-' (default <name>-<6 hex>)") String alias;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            ApiClient client = options.client();
            String path = Paths.sandbox(sandbox) + "/publish";
            if (port == null) {
                JsonNode rules = client.get(path);
                if (json) {
                    out.println(rules.toPrettyString());
                    return;
                }
                out.printf(FORMAT, "PORT", "ALIAS", "URL");
                rules.forEach(r -> out.printf(FORMAT, r.path("port").asText(), r.path("alias").asText(), r.path("url").asText()));
                return;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("port", port);
            if (alias != null) {
                body.put("alias", alias);
            }
            HttpResponse<InputStream> response = client.stream(client.request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.encode(body))));
            JsonNode rule;
            try (InputStream in = response.body()) {
                rule = Json.mapper().readTree(in);
            } catch (IOException e) {
                throw new ApiError(response.statusCode(), "bad_response", "unreadable response: " + e.getMessage());
            }
            if (json) {
                out.println(rule.toPrettyString());
                return;
            }
            boolean existing = response.headers().firstValue("X-Bhatti-Existing").isPresent();
            out.println((existing ? "already published: port " : "published port ") + rule.path("port").asText()
                    + " of " + sandbox + " as " + rule.path("alias").asText());
            out.println(rule.path("url").asText());
        }
    }

    @Command(name = "unpublish", description = "Remove a port's public URL (it stops working at once).")
    public static final class Unpublish implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Parameters(index = "0", paramLabel = "SANDBOX") String sandbox;
        @Option(names = {"-p", "--port"}, required = true, description = "the published port") int port;

        @Override
        public void run() {
            options.client().delete(Paths.sandbox(sandbox) + "/publish/" + port);
            spec.commandLine().getOut().println("unpublished port " + port + " of " + sandbox);
        }
    }
}

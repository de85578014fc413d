package dev.bhatti.cli.secret;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bhatti.cli.api.ClientOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti secret set|list|delete}: encrypted per-user secrets; values never come back. */
@Command(name = "secret", description = "Manage secrets (exposed to sandboxes as env variables).",
        subcommands = {SecretCommand.Set.class, SecretCommand.ListSecrets.class, SecretCommand.Delete.class})
public final class SecretCommand {

    @Command(name = "set", description = "Create or replace a secret.")
    static final class Set implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Parameters(index = "0") String name;
        @Parameters(index = "1") String value;

        @Override
        public void run() {
            options.client().post("/secrets", Map.of("name", name, "value", value));
            spec.commandLine().getOut().println("secret " + name + " set");
        }
    }

    @Command(name = "list", aliases = "ls", description = "List secret names.")
    static final class ListSecrets implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            JsonNode secrets = options.client().get("/secrets");
            var out = spec.commandLine().getOut();
            if (json) {
                out.println(secrets.toPrettyString());
                return;
            }
            out.printf("%-32s %s%n", "NAME", "UPDATED");
            secrets.forEach(s -> out.printf("%-32s %s%n", s.path("name").asText(), s.path("updated_at").asText()));
        }
    }

    @Command(name = "delete", aliases = "rm", description = "Delete a secret.")
    static final class Delete implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Parameters(index = "0") String name;

        @Override
        public void run() {
            options.client().delete("/secrets/" + URLEncoder.encode(name, StandardCharsets.UTF_8));
            spec.commandLine().getOut().println("secret " + name + " deleted");
        }
    }
}

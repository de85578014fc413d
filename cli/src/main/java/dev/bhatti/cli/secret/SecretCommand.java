package dev.bhatti.cli.secret;

import static dev.bhatti.cli.output.Table.column;

import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.output.JsonOption;
import dev.bhatti.cli.output.Table;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
        private static final Table TABLE = Table.of(column("NAME", "name"), column("UPDATED", "updated_at"));

        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Mixin JsonOption json;

        @Override
        public void run() {
            json.print(spec.commandLine().getOut(), options.client().get("/secrets"), TABLE);
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

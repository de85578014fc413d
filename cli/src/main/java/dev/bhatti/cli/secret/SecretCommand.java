package dev.bhatti.cli.secret;

import static dev.bhatti.cli.output.Table.column;

import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.api.Resource;
import dev.bhatti.cli.api.ResourceCommand;
import dev.bhatti.cli.output.Table;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti secret set|list|delete}: encrypted per-user secrets; values never come back. */
@Command(name = "secret", description = "Manage secrets (exposed to sandboxes as env variables).",
        subcommands = {SecretCommand.Set.class})
public final class SecretCommand extends ResourceCommand {
    static final Resource SECRETS = new Resource("/secrets", "secret",
            Table.of(column("NAME", "name"), column("UPDATED", "updated_at")));

    public SecretCommand() {
        super(SECRETS);
    }

    @Command(name = "set", description = "Create or replace a secret.")
    static final class Set implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Parameters(index = "0") String name;
        @Parameters(index = "1") String value;

        @Override
        public void run() {
            options.bhatti().secrets().set(name, value);
            spec.commandLine().getOut().println("secret " + name + " set");
        }
    }

}

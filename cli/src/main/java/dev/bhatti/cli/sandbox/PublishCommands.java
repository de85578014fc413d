package dev.bhatti.cli.sandbox;

import static dev.bhatti.cli.output.Table.column;

import dev.bhatti.sdk.Bhatti;
import dev.bhatti.sdk.Json;
import dev.bhatti.sdk.Sandbox;
import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.api.Paths;
import dev.bhatti.cli.output.JsonOption;
import dev.bhatti.cli.output.Table;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti publish} and {@code unpublish}: public preview URLs for a sandbox's ports. */
public final class PublishCommands {
    private PublishCommands() {}

    @Command(name = "publish", description = {"Give a port of a sandbox a public URL (opening it needs no API key;",
            "it wakes the sandbox). Without -p, lists the sandbox's published ports."})
    public static final class Publish implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Mixin JsonOption json;
        @Parameters(index = "0", paramLabel = "SANDBOX", description = "id or name") String sandbox;
        @Option(names = {"-p", "--port"}, description = "port inside the sandbox (1-65535)") Integer port;
        @Option(names = {"-a", "--alias"}, description = "the URL's name: a-z, 0-9, '-' (default <name>-<6 hex>)") String alias;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            Bhatti bhatti = options.bhatti();
            if (port == null) {
                json.print(out, bhatti.raw().call("GET", Paths.sandbox(sandbox) + "/publish", null),
                        Table.of(column("PORT", "port"), column("ALIAS", "alias"), column("URL", "url")));
                return;
            }
            Sandbox.Publication rule = bhatti.sandboxes().named(sandbox).publication(port, alias);
            if (json.on()) {
                out.println(Json.pretty(rule.rule()));
                return;
            }
            out.println((rule.existing() ? "already published: port " : "published port ") + rule.rule().port()
                    + " of " + sandbox + " as " + rule.rule().alias());
            out.println(rule.rule().url());
        }
    }

    @Command(name = "unpublish", description = "Remove a port's public URL (it stops working at once).")
    public static final class Unpublish implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Parameters(index = "0", paramLabel = "SANDBOX", description = "id or name") String sandbox;
        @Option(names = {"-p", "--port"}, required = true, description = "the published port") int port;

        @Override
        public void run() {
            options.bhatti().sandboxes().named(sandbox).unpublish(port);
            spec.commandLine().getOut().println("unpublished port " + port + " of " + sandbox);
        }
    }
}

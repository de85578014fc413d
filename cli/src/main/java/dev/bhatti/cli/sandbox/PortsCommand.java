package dev.bhatti.cli.sandbox;

import static dev.bhatti.cli.output.Table.column;

import dev.bhatti.sdk.Bhatti;
import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.api.Paths;
import dev.bhatti.cli.output.JsonOption;
import dev.bhatti.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti ports}: the sandbox's listening TCP ports and the daemon URLs that proxy to them. */
@Command(name = "ports", description = "List a sandbox's listening TCP ports and their proxy URLs (wakes it).")
public final class PortsCommand implements Runnable {
    @Spec CommandSpec spec;
    @Mixin ClientOptions options;
    @Mixin JsonOption json;
    @Parameters(index = "0", paramLabel = "SANDBOX", description = "id or name") String sandbox;

    @Override
    public void run() {
        Bhatti bhatti = options.bhatti();
        Table table = Table.of(column("PORT", "container_port"),
                column("PROXY_URL", p -> bhatti.url(Table.text(p.get("proxy_url")))));
        json.print(spec.commandLine().getOut(), bhatti.raw().call("GET", Paths.sandbox(sandbox) + "/ports", null), table);
    }
}

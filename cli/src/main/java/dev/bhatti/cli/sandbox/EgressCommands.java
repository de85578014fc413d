package dev.bhatti.cli.sandbox;

import static dev.bhatti.cli.output.Table.column;

import dev.bhatti.api.model.NetworkPolicy;
import dev.bhatti.api.model.SandboxView;
import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.api.Paths;
import dev.bhatti.cli.output.JsonOption;
import dev.bhatti.cli.output.Table;
import dev.bhatti.sdk.Bhatti;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The egress audit log and the egress policy of a sandbox (decision 0024). */
public final class EgressCommands {
    private EgressCommands() {}

    /** {@code bhatti egress SANDBOX}: its egress audit log, newest first. */
    @Command(name = "egress", description = "Show what a sandbox's guest connected to or resolved, and the verdicts, newest first.")
    public static final class Log implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Mixin JsonOption json;
        @Parameters(index = "0", paramLabel = "SANDBOX", description = "id or name") String sandbox;
        @Option(names = "--since", description = "only entries at or after this time (RFC 3339 or unix seconds)") String since;
        @Option(names = "--limit", description = "at most this many entries (default 1000)") Integer limit;

        @Override
        public void run() {
            StringBuilder query = new StringBuilder();
            if (since != null) {
                query.append("since=").append(java.net.URLEncoder.encode(since, java.nio.charset.StandardCharsets.UTF_8));
            }
            if (limit != null) {
                query.append(query.isEmpty() ? "" : "&").append("limit=").append(limit);
            }
            Table table = Table.of(column("TIME", "at"), column("PROTO", "protocol"), column("ADDRESS", "address"),
                    column("PORT", "port"), column("DOMAIN", "domain"), column("VERDICT", "verdict"));
            json.print(spec.commandLine().getOut(), options.bhatti().raw().call("GET", Paths.sandbox(sandbox) + "/egress"
                    + (query.isEmpty() ? "" : "?" + query), null), table);
        }
    }

    /** {@code bhatti network SANDBOX}: shows its egress policy, or replaces it (live). */
    @Command(name = "network", description = "Show a sandbox's egress policy, or replace it (live) with the options given.")
    public static final class Policy implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Parameters(index = "0", paramLabel = "SANDBOX", description = "id or name") String sandbox;
        @Option(names = "--allow-out", description = "IPv4, CIDR, domain or *.domain, optionally :port; repeatable")
        List<String> allowOut;
        @Option(names = "--deny-out", description = "IPv4, CIDR, domain or *.domain, optionally :port; repeatable")
        List<String> denyOut;
        @Option(names = "--block-all", description = "close everything --allow-out does not open") boolean blockAll;
        @Option(names = "--open", description = "remove every rule (the outside open, the host and private networks closed)")
        boolean open;

        @Override
        public void run() {
            Bhatti bhatti = options.bhatti();
            boolean change = open || blockAll || allowOut != null || denyOut != null;
            SandboxView view = change
                    ? bhatti.sandboxes().named(sandbox).network(open ? NetworkPolicy.open()
                            : new NetworkPolicy(allowOut, denyOut, blockAll))
                    : bhatti.sandboxes().named(sandbox).refresh();
            print(spec.commandLine().getOut(), view.network() == null ? NetworkPolicy.open() : view.network());
        }

        private static void print(PrintWriter out, NetworkPolicy p) {
            out.println("allow_out: " + (p.allowOut().isEmpty() ? "-" : String.join(" ", p.allowOut())));
            out.println("deny_out:  " + (p.denyOut().isEmpty() ? "-" : String.join(" ", p.denyOut())));
            out.println("block_all: " + p.blockAll());
            out.flush();
        }
    }
}

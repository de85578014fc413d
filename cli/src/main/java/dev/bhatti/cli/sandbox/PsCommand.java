package dev.bhatti.cli.sandbox;

import static dev.bhatti.cli.output.Table.column;

import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.api.Paths;
import dev.bhatti.cli.output.JsonOption;
import dev.bhatti.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti ps}: a sandbox's sessions. */
@Command(name = "ps", description = "List a sandbox's sessions.")
public final class PsCommand implements Runnable {
    private static final Table TABLE = Table.of(column("ID", "session_id"), column("COMMAND", "argv"),
            column("RUNNING", s -> yesNo(s.get("running"))), column("ATTACHED", s -> yesNo(s.get("attached"))));

    @Spec CommandSpec spec;
    @Mixin ClientOptions options;
    @Mixin JsonOption json;
    @Parameters(index = "0", paramLabel = "SANDBOX") String sandbox;

    @Override
    public void run() {
        Object sessions = options.bhatti().raw().call("GET", Paths.sandbox(sandbox) + "/sessions", null);
        json.print(spec.commandLine().getOut(), sessions, TABLE);
    }

    private static String yesNo(Object flag) {
        return Boolean.TRUE.equals(flag) ? "yes" : "no";
    }
}

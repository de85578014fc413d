package dev.bhatti.cli.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bhatti.cli.api.ClientOptions;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti ps}: a sandbox's sessions. */
@Command(name = "ps", description = "List a sandbox's sessions.")
public final class PsCommand implements Runnable {
    private static final String FORMAT = "%-8s %-40s %-8s %s%n";

    @Spec CommandSpec spec;
    @Mixin ClientOptions options;
    @Parameters(index = "0", paramLabel = "SANDBOX") String sandbox;
    @Option(names = "--json") boolean json;

    @Override
    public void run() {
        JsonNode sessions = options.client().get(Paths.sandbox(sandbox) + "/sessions");
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(sessions.toPrettyString());
            return;
        }
        out.printf(FORMAT, "ID", "COMMAND", "RUNNING", "ATTACHED");
        sessions.forEach(s -> out.printf(FORMAT, s.path("session_id").asText(), s.path("argv").asText(),
                s.path("running").asBoolean() ? "yes" : "no", s.path("attached").asBoolean() ? "yes" : "no"));
    }
}

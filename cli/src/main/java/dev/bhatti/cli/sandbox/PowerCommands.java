package dev.bhatti.cli.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.api.Paths;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti stop} and {@code bhatti start}: snapshot to disk now, restore now. */
public final class PowerCommands {
    private PowerCommands() {
    }

    @Command(name = "stop", description = "Snapshot a sandbox to disk (cold).")
    public static final class Stop implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Parameters(index = "0", paramLabel = "SANDBOX") String sandbox;

        @Override
        public void run() {
            JsonNode sb = options.client().post(Paths.sandbox(sandbox) + "/stop", Map.of());
            spec.commandLine().getOut().println("stopped " + sb.path("name").asText(sandbox));
        }
    }

    @Command(name = "start", description = "Restore a sandbox now.")
    public static final class Start implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Parameters(index = "0", paramLabel = "SANDBOX") String sandbox;
        @Option(names = "--force", description = "clear a corrupt-snapshot mark") boolean force;

        @Override
        public void run() {
            JsonNode sb = options.client().post(Paths.sandbox(sandbox) + "/start", force ? Map.of("force", true) : Map.of());
            spec.commandLine().getOut().println("started " + sb.path("name").asText(sandbox));
        }
    }
}

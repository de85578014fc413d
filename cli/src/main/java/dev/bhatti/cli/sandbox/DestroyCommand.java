package dev.bhatti.cli.sandbox;

import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.api.Paths;
import dev.bhatti.cli.Invocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti destroy}: removes a sandbox; asks first on a terminal unless {@code -y}. */
@Command(name = "destroy", aliases = "rm", description = "Destroy a sandbox.")
public final class DestroyCommand implements java.util.concurrent.Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions options;
    @Parameters(index = "0", paramLabel = "SANDBOX", description = "id or name") String sandbox;
    @Option(names = {"-y", "--yes"}, description = "do not ask") boolean yes;

    @Override
    public Integer call() {
        if (!yes && Boolean.FALSE.equals(Invocation.current().confirm("destroy sandbox " + sandbox + "? [y/N] "))) {
            spec.commandLine().getOut().println("aborted");
            return 1;
        }
        options.bhatti().sandboxes().named(sandbox).destroy();
        spec.commandLine().getOut().println("destroyed " + sandbox);
        return 0;
    }
}

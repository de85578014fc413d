package dev.bhatti.cli.api;

import dev.bhatti.cli.output.JsonOption;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The parent of {@code secret}, {@code volume} and {@code template}: their shared {@code list
 * [--json]} and {@code delete NAME} subcommands (picocli finds these public methods in every
 * subclass); subclasses add {@code create}/{@code set} and carry the {@code @Command} annotation.
 */
public abstract class ResourceCommand {
    @Spec CommandSpec spec;
    private final Resource resource;

    protected ResourceCommand(Resource resource) {
        this.resource = resource;
    }

    /** The command line's stdout, for the subclasses' own subcommands. */
    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Command(name = "list", aliases = "ls", description = "List your ${PARENT-COMMAND-NAME}s.")
    public void list(@Mixin ClientOptions options, @Mixin JsonOption json) {
        json.print(out(), options.bhatti().raw().call("GET", resource.path(), null), resource.table());
    }

    @Command(name = "delete", aliases = "rm", description = "Delete a ${PARENT-COMMAND-NAME}.")
    public void delete(@Mixin ClientOptions options,
                       @Parameters(paramLabel = "NAME", description = "its name (a template also by id)") String name) {
        options.bhatti().raw().call("DELETE", Paths.of(resource.path(), name), null);
        out().println(resource.kind() + " " + name + " deleted");
    }
}

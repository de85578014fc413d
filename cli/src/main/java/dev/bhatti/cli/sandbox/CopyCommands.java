package dev.bhatti.cli.sandbox;

import static dev.bhatti.cli.output.Table.column;

import dev.bhatti.api.model.Checkpoint;
import dev.bhatti.api.model.SandboxView;
import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.output.JsonOption;
import dev.bhatti.cli.output.Table;
import dev.bhatti.cli.term.Progress;
import dev.bhatti.sdk.Sandbox;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti fork}, {@code bhatti checkpoint create|list|delete} and {@code bhatti restore} (decision 0022). */
public final class CopyCommands {
    private static final Table CHECKPOINTS = Table.of(column("ID", "id"), column("NAME", "name"),
            column("CREATED", "created_at"), column("SIZE", c -> mib(c.get("size_bytes"))));

    private CopyCommands() {}

    private static String mib(Object bytes) {
        return bytes instanceof Number n ? String.format("%.1f MiB", n.doubleValue() / (1 << 20)) : "";
    }

    @Command(name = "fork", description = "Fork a running sandbox into new ones (its memory, disk and env; each its own machine).")
    public static final class Fork implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Mixin JsonOption json;
        @Parameters(index = "0", paramLabel = "SANDBOX") String sandbox;
        @Option(names = "--count", description = "how many (1..10, default 1)", defaultValue = "1") int count;
        @Option(names = "--name", description = "the child's name; with --count N: NAME-1..NAME-N") String name;

        @Override
        public void run() {
            Sandbox parent = options.bhatti().sandboxes().named(sandbox);
            List<Sandbox> children = Progress.around(spec.commandLine().getErr(), "forking " + sandbox,
                    () -> parent.fork(count, name));
            PrintWriter out = spec.commandLine().getOut();
            if (json.on()) {
                json.print(out, children.stream().map(Sandbox::view).toList(), null);
                return;
            }
            for (Sandbox c : children) {
                SandboxView v = c.view();
                out.println("forked " + v.name() + " (" + v.id() + ") from " + sandbox);
            }
        }
    }

    @Command(name = "checkpoint", description = "Checkpoints of a sandbox: its memory and disk at a moment.",
            subcommands = {Create.class, ListCheckpoints.class, Delete.class})
    public static final class CheckpointCommand implements Runnable {
        @Spec CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "create", description = "Write a checkpoint of a sandbox now.")
    static final class Create implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Mixin JsonOption json;
        @Parameters(index = "0", paramLabel = "SANDBOX") String sandbox;
        @Option(names = "--name", description = "unique within the sandbox (default: its id)") String name;

        @Override
        public void run() {
            Sandbox sb = options.bhatti().sandboxes().named(sandbox);
            Checkpoint cp = Progress.around(spec.commandLine().getErr(), "checkpointing " + sandbox, () -> sb.checkpoint(name));
            PrintWriter out = spec.commandLine().getOut();
            if (json.on()) {
                json.print(out, cp, null);
            } else {
                out.println("checkpoint " + cp.name() + " (" + cp.id() + ") of " + sandbox + ": " + mib(cp.sizeBytes()));
            }
        }
    }

    @Command(name = "list", aliases = "ls", description = "List a sandbox's checkpoints.")
    static final class ListCheckpoints implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Mixin JsonOption json;
        @Parameters(index = "0", paramLabel = "SANDBOX") String sandbox;

        @Override
        public void run() {
            List<Checkpoint> all = options.bhatti().sandboxes().named(sandbox).checkpoints();
            json.print(spec.commandLine().getOut(), dev.bhatti.sdk.Json.parse(dev.bhatti.sdk.Json.write(all)), CHECKPOINTS);
        }
    }

    @Command(name = "delete", aliases = "rm", description = "Delete a checkpoint.")
    static final class Delete implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Parameters(index = "0", paramLabel = "SANDBOX") String sandbox;
        @Parameters(index = "1", paramLabel = "CHECKPOINT") String checkpoint;

        @Override
        public void run() {
            options.bhatti().sandboxes().named(sandbox).deleteCheckpoint(checkpoint);
            spec.commandLine().getOut().println("deleted checkpoint " + checkpoint + " of " + sandbox);
        }
    }

    @Command(name = "restore", description = "Roll a sandbox back to one of its checkpoints (memory and disk).")
    public static final class Restore implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Parameters(index = "0", paramLabel = "SANDBOX") String sandbox;
        @Parameters(index = "1", paramLabel = "CHECKPOINT") String checkpoint;

        @Override
        public void run() {
            Sandbox sb = options.bhatti().sandboxes().named(sandbox);
            SandboxView v = Progress.around(spec.commandLine().getErr(), "restoring " + sandbox, () -> sb.restore(checkpoint));
            spec.commandLine().getOut().println("restored " + v.name() + " to checkpoint " + checkpoint);
        }
    }
}

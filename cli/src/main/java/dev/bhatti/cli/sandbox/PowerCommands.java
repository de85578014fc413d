package dev.bhatti.cli.sandbox;

import dev.bhatti.api.model.SandboxView;
import dev.bhatti.sdk.Sandbox;
import java.util.function.Function;
import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.api.Paths;
import dev.bhatti.cli.term.Progress;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti stop} and {@code bhatti start}: snapshot to disk now, restore now (with progress on a terminal). */
public final class PowerCommands {
    private PowerCommands() {
    }

    /** POSTs {@code /sandboxes/SB/<action>} under a spinner, then prints {@code <done> NAME}. */
    private static void power(CommandSpec spec, ClientOptions options, String sandbox, String action, String doing,
                              String done, Function<Sandbox, SandboxView> call) {
        Sandbox handle = options.bhatti().sandboxes().named(sandbox);
        SandboxView sb = Progress.around(spec.commandLine().getErr(), doing + " " + sandbox, () -> call.apply(handle));
        String how = "disk".equals(sb.startedFrom())
                ? " (booted on its disk: no snapshot to restore, its processes were lost)" : "";
        spec.commandLine().getOut().println(done + " " + (sb.name() == null ? sandbox : sb.name()) + how);
    }

    @Command(name = "stop", description = "Snapshot a sandbox to disk (cold).")
    public static final class Stop implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Parameters(index = "0", paramLabel = "SANDBOX") String sandbox;

        @Override
        public void run() {
            power(spec, options, sandbox, "stop", "stopping", "stopped", Sandbox::stop);
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
            power(spec, options, sandbox, "start", "starting", "started", s -> s.start(force));
        }
    }
}

package dev.bhatti.cli;

import dev.bhatti.sdk.BhattiException;
import dev.bhatti.cli.api.ClientOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti version}: the client's version and, when reachable, the daemon's. */
@Command(name = "version", description = "Show client and server versions.")
final class VersionCommand implements Runnable {
    @Spec CommandSpec spec;
    @Mixin ClientOptions options;

    @Override
    public void run() {
        var out = spec.commandLine().getOut();
        out.println("client: " + new Version().getVersion()[0]);
        try {
            String version = options.bhatti().health().version();
            out.println("server: bhatti " + (version == null ? "unknown" : version));
        } catch (BhattiException e) {
            out.println("server: unreachable (" + e.getMessage() + ")");
        }
    }
}

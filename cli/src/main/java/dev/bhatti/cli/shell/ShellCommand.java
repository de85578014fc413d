package dev.bhatti.cli.shell;

import dev.bhatti.cli.api.Failure;
import dev.bhatti.sdk.Sandbox;
import dev.bhatti.cli.api.ClientOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bhatti shell}: an interactive terminal over {@code GET /sandboxes/:id/ws}. Reattaches to
 * the newest detached shell (its scrollback replayed) unless {@code --new}. Ctrl+\ detaches (exit
 * 0), the shell exiting ends it (exit 0), a lost connection is an error (exit 1). The local
 * terminal is restored before anything is printed, whatever happened.
 *
 * <p>The sandbox is looked up first ({@code GET /sandboxes/:id}, which does not wake it): the
 * daemon refuses an upgrade with the right status but no body, and that lookup gives the error
 * its message and code (unknown sandbox, bad key) for the usual {@code Error:} line and hint.
 */
@Command(name = "shell", aliases = "sh", description = {"Open a shell in a sandbox.",
        "Ctrl+\\ detaches; the shell keeps running and 'bhatti shell SANDBOX' reattaches."})
public final class ShellCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions options;
    @Option(names = "--new", description = "start a new shell instead of reattaching") boolean fresh;
    @Parameters(index = "0", paramLabel = "SANDBOX") String sandbox;

    @Override
    public Integer call() throws IOException {
        Sandbox sb = options.bhatti().sandboxes().named(sandbox);
        sb.refresh();
        ShellSession.Result result;
        try (LocalTerminal local = LocalTerminal.open()) {
            result = new ShellSession(sb, local).run(fresh ? "new=true" : "");
        }
        return report(result);
    }

    private int report(ShellSession.Result result) {
        String reattach = "reattach with: bhatti shell " + sandbox;
        PrintWriter err = spec.commandLine().getErr();
        return switch (result.outcome()) {
            case Outcome.Exited exited -> 0;
            case Outcome.Detached detached -> {
                err.println();
                err.println("detached from session " + result.sessionId());
                err.println(reattach);
                err.flush();
                yield 0;
            }
            case Outcome.Lost lost -> {
                err.println();
                throw Failure.of("connection_lost", "connection lost: " + lost.why() + "; " + reattach);
            }
        };
    }
}

package dev.bhatti.cli;

import dev.bhatti.cli.files.FileCommand;
import dev.bhatti.cli.sandbox.CreateCommand;
import dev.bhatti.cli.sandbox.DestroyCommand;
import dev.bhatti.cli.sandbox.EditCommand;
import dev.bhatti.cli.sandbox.PortsCommand;
import dev.bhatti.cli.sandbox.PowerCommands;
import dev.bhatti.cli.sandbox.PsCommand;
import dev.bhatti.cli.sandbox.PublishCommands;
import dev.bhatti.cli.sandbox.ExecCommand;
import dev.bhatti.cli.sandbox.ListCommand;
import dev.bhatti.cli.secret.SecretCommand;
import dev.bhatti.cli.serve.ServeCommand;
import dev.bhatti.cli.shell.ShellCommand;
import dev.bhatti.cli.setup.SetupCommand;
import dev.bhatti.cli.template.TemplateCommand;
import dev.bhatti.cli.user.UserCommand;
import dev.bhatti.cli.volume.VolumeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bhatti} command. Subcommands are registered in {@link #commandLine()}; errors are
 * reported by {@link Errors} as {@code Error: <message>} plus a hint on stderr, exit code 1.
 */
@Command(name = "bhatti", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Version.class,
        description = "Self-hosted microVM sandboxes for AI coding agents.",
        subcommands = {ServeCommand.class, SetupCommand.class, UserCommand.class, VersionCommand.class,
                ListCommand.class, CreateCommand.class, DestroyCommand.class, EditCommand.class,
                PowerCommands.Stop.class, PowerCommands.Start.class, ExecCommand.class, ShellCommand.class, PsCommand.class,
                PortsCommand.class, FileCommand.class, PublishCommands.Publish.class, PublishCommands.Unpublish.class,
                SecretCommand.class, VolumeCommand.class, TemplateCommand.class,
                CompletionCommand.class, CommandLine.HelpCommand.class})
public final class Bhatti implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The configured command line; tests call {@code execute} on it with their own out/err. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Bhatti());
        Errors errors = new Errors();
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

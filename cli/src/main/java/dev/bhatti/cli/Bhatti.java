package dev.bhatti.cli;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bhatti} command. Subcommands are registered in {@link #commandLine()}; errors are
 * reported by {@link Errors} as {@code Error: <message>} plus a hint on stderr, exit code 1.
 *
 * <p>Start-up matters for a CLI: {@link #main} registers only the subcommand the arguments name
 * (picocli builds a model by reflection for every registered command, and {@code serve} and
 * {@code user} pull in the whole server), and the full tree only for help, completion or an
 * unknown name.
 */
@Command(name = "bhatti", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Version.class,
        description = "Self-hosted microVM sandboxes for AI coding agents.")
public final class Bhatti implements Runnable {
    /** Every subcommand by name and alias, in help order; classes are loaded only when used. */
    private static final Map<String, String> COMMANDS = commands();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static Map<String, String> commands() {
        String p = "dev.bhatti.cli.";
        Map<String, String> m = new LinkedHashMap<>();
        m.put("serve", p + "serve.ServeCommand");
        m.put("setup", p + "setup.SetupCommand");
        m.put("user", p + "user.UserCommand");
        m.put("version", p + "VersionCommand");
        m.put("list", p + "sandbox.ListCommand");
        m.put("ls", p + "sandbox.ListCommand");
        m.put("create", p + "sandbox.CreateCommand");
        m.put("destroy", p + "sandbox.DestroyCommand");
        m.put("rm", p + "sandbox.DestroyCommand");
        m.put("edit", p + "sandbox.EditCommand");
        m.put("stop", p + "sandbox.PowerCommands$Stop");
        m.put("start", p + "sandbox.PowerCommands$Start");
        m.put("fork", p + "sandbox.CopyCommands$Fork");
        m.put("checkpoint", p + "sandbox.CopyCommands$CheckpointCommand");
        m.put("restore", p + "sandbox.CopyCommands$Restore");
        m.put("exec", p + "sandbox.ExecCommand");
        m.put("shell", p + "shell.ShellCommand");
        m.put("sh", p + "shell.ShellCommand");
        m.put("ps", p + "sandbox.PsCommand");
        m.put("ports", p + "sandbox.PortsCommand");
        m.put("events", p + "sandbox.EventsCommand");
        m.put("egress", p + "sandbox.EgressCommands$Log");
        m.put("network", p + "sandbox.EgressCommands$Policy");
        m.put("file", p + "files.FileCommand");
        m.put("publish", p + "sandbox.PublishCommands$Publish");
        m.put("unpublish", p + "sandbox.PublishCommands$Unpublish");
        m.put("secret", p + "secret.SecretCommand");
        m.put("volume", p + "volume.VolumeCommand");
        m.put("template", p + "template.TemplateCommand");
        m.put("completion", p + "CompletionCommand");
        m.put("aot-train", p + "AotTrainCommand");
        m.put("helper", p + "helper.HelperCommand");
        return m;
    }

    /** The configured command line with every subcommand; tests call {@code execute} on it. */
    public static CommandLine commandLine() {
        CommandLine cli = root();
        new LinkedHashSet<>(COMMANDS.values()).forEach(c -> cli.addSubcommand(load(c)));
        cli.addSubcommand(new CommandLine.HelpCommand());
        return cli;
    }

    /**
     * The command line for these arguments: when the first one names a subcommand (other than one
     * that lists the others), only that one is registered.
     */
    static CommandLine commandLineFor(String[] args) {
        String only = args.length == 0 ? null : COMMANDS.get(args[0]);
        if (only == null || args[0].equals("completion")) {
            return commandLine();
        }
        CommandLine cli = root();
        cli.addSubcommand(load(only));
        return cli;
    }

    /** The command line of one subcommand by name (the helper's warm-up); the full tree for an unknown name. */
    public static CommandLine commandLine(String name) {
        return commandLineFor(new String[] {name});
    }

    private static CommandLine root() {
        CommandLine cli = new CommandLine(new Bhatti());
        Errors errors = new Errors();
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        return cli;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("subcommand class missing from the jar: " + name, e);
        }
    }

    public static void main(String[] args) {
        System.exit(commandLineFor(args).execute(args));
    }

    /**
     * Runs one call with {@code call}'s streams (the resident helper's entry point; the caller
     * binds {@link Invocation#CURRENT}); answers the exit code.
     */
    public static int run(String[] args, Invocation call) {
        CommandLine cli = commandLineFor(args);
        java.io.PrintWriter out = new java.io.PrintWriter(call.out(), true, java.nio.charset.StandardCharsets.UTF_8);
        java.io.PrintWriter err = new java.io.PrintWriter(call.err(), true, java.nio.charset.StandardCharsets.UTF_8);
        cli.setOut(out);
        cli.setErr(err);
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

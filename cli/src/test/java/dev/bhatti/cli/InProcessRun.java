package dev.bhatti.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the bhatti command in this JVM, with stdout and stderr captured (no launcher, no daemon). */
public record InProcessRun(int exitCode, String out, String err) {

    public static InProcessRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Bhatti.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new InProcessRun(code, out.toString(), err.toString());
    }
}

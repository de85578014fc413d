package dev.bhatti.cli.sandbox;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.api.ExecEvent;
import dev.bhatti.api.model.DetachedExec;
import dev.bhatti.api.model.ExecRequest;
import dev.bhatti.api.model.ExecResult;
import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.sdk.Sandbox;
import dev.bhatti.cli.Invocation;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bhatti exec}: runs a command and exits with the remote exit code, its stdout and stderr
 * going to the local ones. Output is streamed (NDJSON events) when stdout is a terminal or with
 * {@code --stream}; otherwise the buffered call returns it all at the end (at most 10 MiB).
 */
@Command(name = "exec", description = {"Run a command in a sandbox; exits with its exit code.",
        "Output streams as it comes when stdout is a terminal (or with --stream), else arrives at the end."})
public final class ExecCommand implements Callable<Integer> {
    static final int EXIT_TIMEOUT = 124;

    @Spec CommandSpec spec;
    @Mixin ClientOptions options;
    @Option(names = "--timeout", description = "seconds (default 300)") Integer timeout;
    @Option(names = "--detach", description = "run in the background") boolean detach;
    @Option(names = "--stream", description = "stream output even when stdout is not a terminal") boolean stream;
    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "lohar (default) or root") String user;
    @Parameters(index = "0", paramLabel = "SANDBOX") String sandbox;
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD") List<String> cmd;

    @Override
    public Integer call() {
        Sandbox sb = options.bhatti().sandboxes().named(sandbox);
        if (detach) {
            DetachedExec r = sb.execDetached(request());
            spec.commandLine().getOut().println("pid " + r.pid() + ", output in " + r.outputFile());
            return 0;
        }
        return stream || Invocation.current().isTerminal(Invocation.STDOUT) ? streamed(sb) : buffered(sb);
    }

    private int buffered(Sandbox sb) {
        ExecResult r = sb.exec(request());
        Invocation call = Invocation.current();
        write(call.out(), r.stdout());
        write(call.err(), r.stderr());
        return r.exitCode();
    }

    private ExecRequest request() {
        return new ExecRequest(cmd, null, null, timeout, detach ? true : null, user);
    }

    private int streamed(Sandbox sb) {
        Invocation call = Invocation.current();
        ExecEvent last = sb.stream(request(), event -> {
            switch (event) {
                case ExecEvent.Stdout out -> write(call.out(), out.data());
                case ExecEvent.Stderr err -> write(call.err(), err.data());
                default -> { }
            }
        });
        return switch (last) {
            case ExecEvent.Exit exit -> exit.exitCode();
            case ExecEvent.Error error -> {
                String data = error.message();
                call.out().flush();
                call.err().println("Error: " + data);
                call.err().flush();
                // The code, never the message text, says the command's timeout fired.
                yield error.code() == ErrorCode.EXEC_TIMEOUT ? EXIT_TIMEOUT : 1;
            }
            default -> 1;
        };
    }

    private static Integer write(PrintStream stream, String data) {
        stream.print(data);
        stream.flush();
        return null;
    }
}

package dev.bhatti.cli.files;

import static dev.bhatti.cli.output.Table.column;

import dev.bhatti.cli.Invocation;
import dev.bhatti.cli.api.Failure;
import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.api.Paths;
import dev.bhatti.cli.output.JsonOption;
import dev.bhatti.cli.output.Table;
import java.io.IOException;
import java.io.InputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti file read|write|ls}: files inside a sandbox. */
@Command(name = "file", description = "Read, write and list files in a sandbox.",
        subcommands = {FileCommand.Read.class, FileCommand.Write.class, FileCommand.Ls.class})
public final class FileCommand {
    static final long MAX_WRITE = 100L * 1024 * 1024;

    static String path(String sandbox, String path) {
        return Paths.sandbox(sandbox) + "/files?path=" + Paths.encode(path);
    }

    @Command(name = "read", description = "Write a file's bytes to stdout.")
    static final class Read implements Runnable {
        @Mixin ClientOptions options;
        @Parameters(index = "0", paramLabel = "SANDBOX") String sandbox;
        @Parameters(index = "1", paramLabel = "PATH") String file;

        @Override
        public void run() {
            try (InputStream in = options.bhatti().sandboxes().named(sandbox).files().read(file)) {
                java.io.PrintStream out = Invocation.current().out();
                in.transferTo(out);
                out.flush();
            } catch (IOException e) {
                throw Failure.of("read_failed", "reading " + file + " failed: " + e.getMessage());
            }
        }
    }

    @Command(name = "write", description = "Write stdin to a file (at most 100 MiB).")
    static final class Write implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Parameters(index = "0", paramLabel = "SANDBOX") String sandbox;
        @Parameters(index = "1", paramLabel = "PATH") String file;

        @Override
        public void run() {
            byte[] content = readStdin();
            options.bhatti().sandboxes().named(sandbox).files().write(file, content);
            spec.commandLine().getErr().println("wrote " + content.length + " bytes to " + file);
        }

        private static byte[] readStdin() {
            try {
                byte[] content = Invocation.current().in().readNBytes((int) MAX_WRITE + 1);
                if (content.length > MAX_WRITE) {
                    throw Failure.of("too_large", "stdin is larger than 100 MiB");
                }
                return content;
            } catch (IOException e) {
                throw Failure.of("stdin_failed", "reading stdin failed: " + e.getMessage());
            }
        }
    }

    @Command(name = "ls", description = "List a directory.")
    static final class Ls implements Runnable {
        private static final Table TABLE = Table.of(column("MODE", "mode"), column("SIZE", "size"),
                column("NAME", f -> Table.text(f.get("name")) + (Boolean.TRUE.equals(f.get("is_dir")) ? "/" : "")));

        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Parameters(index = "0", paramLabel = "SANDBOX") String sandbox;
        @Parameters(index = "1", paramLabel = "PATH", defaultValue = "/workspace") String dir;
        @Mixin JsonOption json;

        @Override
        public void run() {
            json.print(spec.commandLine().getOut(), options.bhatti().raw().call("GET", path(sandbox, dir) + "&ls=true", null), TABLE);
        }
    }
}

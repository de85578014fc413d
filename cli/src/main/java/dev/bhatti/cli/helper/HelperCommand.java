package dev.bhatti.cli.helper;

import dev.bhatti.cli.Invocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bhatti helper serve|start|stop|status}: the resident helper that makes CLI calls fast
 * ({@link HelperServer}). {@code bin/bhatti} starts it on first use and it exits after 10 idle
 * minutes; {@code BHATTI_HELPER=0} turns it off.
 */
@Command(name = "helper", description = {"The resident helper that runs CLI calls without a JVM start each.",
        "bin/bhatti starts it when needed; it exits after --idle seconds without a call. BHATTI_HELPER=0 turns it off."})
public final class HelperCommand implements Callable<Integer> {
    /** Seconds of no call after which a helper exits. */
    public static final int DEFAULT_IDLE_SECONDS = 600;

    @Spec CommandSpec spec;
    @Parameters(index = "0", paramLabel = "ACTION", description = "serve (in the foreground), start, stop or status")
    String action;
    @Option(names = "--idle", paramLabel = "SECONDS", description = "exit after this long without a call (default 600)")
    int idleSeconds = DEFAULT_IDLE_SECONDS;

    /** The socket of this call's user: {@code $HOME/.bhatti/helper.sock}. */
    public static Path socket(Invocation call) {
        return call.home().resolve(".bhatti").resolve("helper.sock");
    }

    @Override
    public Integer call() throws Exception {
        Path socket = socket(Invocation.current());
        PrintWriter out = spec.commandLine().getOut();
        return switch (action) {
            case "serve" -> serve(socket);
            case "start" -> start(socket, out);
            case "stop" -> ask(socket, Frames.STOP, out, "stopped");
            case "status" -> ask(socket, Frames.STATUS, out, null);
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "unknown action '" + action + "': expected serve, start, stop or status");
        };
    }

    private int serve(Path socket) throws IOException {
        Path jar = Path.of(HelperCommand.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        HelperServer server = new HelperServer(socket, Duration.ofSeconds(idleSeconds), jar,
                dev.bhatti.cli.Bhatti::run);
        if (!server.bind()) {
            return 0; // another helper serves this user already
        }
        Thread.ofVirtual().name("helper-warm-up").start(HelperCommand::warmUp);
        server.serve();
        return 0;
    }

    /** Builds the common commands' models once, so even the first forwarded call finds picocli warm. */
    private static void warmUp() {
        for (String name : List.of("list", "exec", "ps", "file", "create", "destroy")) {
            dev.bhatti.cli.Bhatti.commandLine(name);
        }
    }

    /** Starts a helper in the background (this JVM's command line, {@code serve} for {@code start}) and waits for it. */
    private int start(Path socket, PrintWriter out) throws IOException, InterruptedException {
        if (answers(socket)) {
            out.println("a helper is already running on " + socket);
            return 0;
        }
        ProcessHandle.Info self = ProcessHandle.current().info();
        List<String> command = new ArrayList<>();
        command.add(self.command().orElseThrow());
        List<String> args = new ArrayList<>(List.of(self.arguments().orElseThrow()));
        args.set(args.lastIndexOf("start"), "serve");
        command.addAll(args);
        Files.createDirectories(socket.getParent());
        new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(socket.resolveSibling("helper.log").toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (answers(socket)) {
                out.println("helper started on " + socket);
                return 0;
            }
            Thread.sleep(50);
        }
        throw dev.bhatti.cli.api.Failure.of("helper_not_started", "the helper did not answer on " + socket
                + " within 30 s; see " + socket.resolveSibling("helper.log"));
    }

    private static boolean answers(Path socket) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitExit(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("pid (\\d+)").matcher(text);
        if (m.find()) {
            ProcessHandle.of(Long.parseLong(m.group(1))).ifPresent(p -> {
                try {
                    p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    // still going after 10 s: "stop" has asked, which is all it can do
                }
            });
        }
    }

    private static int ask(Path socket, byte what, PrintWriter out, String done) throws IOException {
        if (!Files.exists(socket)) {
            out.println("no helper is running (" + socket + ")");
            return what == Frames.STATUS ? 3 : 0;
        }
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            OutputStream o = Channels.newOutputStream(c);
            InputStream in = Channels.newInputStream(c);
            Frames.write(o, what, new byte[0]);
            String text = "";
            for (Frames.Frame f = Frames.read(in); f != null; f = Frames.read(in)) {
                if (f.type() == Frames.STDOUT) {
                    text += new String(f.payload(), java.nio.charset.StandardCharsets.UTF_8);
                } else if (f.type() == Frames.EXIT) {
                    if (done != null) {
                        awaitExit(text); // "stop" returns once the helper's process has ended
                        text = text.replace("stopping", done);
                    }
                    out.print(text);
                    out.flush();
                    return ByteBuffer.wrap(f.payload()).getInt();
                }
            }
            return 1;
        } catch (java.net.ConnectException e) {
            Files.deleteIfExists(socket);
            out.println("no helper is running (removed the stale " + socket + ")");
            return what == Frames.STATUS ? 3 : 0;
        }
    }
}

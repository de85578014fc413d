package dev.bhatti.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bhatti aot-train} (hidden): the build's AOT training run. The build starts it with
 * {@code -XX:AOTCacheOutput}, so the classes a short CLI call loads and links (picocli's model of
 * one command, the HTTP/1.1 transport, JSON, the table printer) go into {@code bhatti.aot}, which
 * {@code bin/bhatti} then maps at start. It answers the calls from a throwaway loopback server with
 * canned API shapes; nothing leaves the process and nothing is printed but one summary line.
 */
@Command(name = "aot-train", hidden = true, description = "Build-time AOT training run (not for users).")
final class AotTrainCommand implements Callable<Integer> {
    private static final String SANDBOX = """
            {"id":"sb-train","name":"train","status":"running","thermal":"hot","ip":"","cpus":1,
             "memory_mb":512,"image":"minimal","labels":{"a":"b"},"keep_hot":false,"created_at":"2026-01-01T00:00:00Z"}""";

    @Override
    public Integer call() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", AotTrainCommand::answer);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        PrintStream out = System.out;
        PrintStream err = System.err;
        int runs = 0;
        try {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            System.setErr(new PrintStream(OutputStream.nullOutputStream()));
            for (List<String> args : List.of(List.of("list"), List.of("list", "-o", "wide"), List.of("list", "--json"),
                    List.of("exec", "train", "--", "true"), List.of("exec", "train", "--stream", "--", "true"),
                    List.of("version"), List.of("ps", "train"), List.of("list", "--no-such-option"))) {
                for (int i = 0; i < 3; i++) {
                    String[] argv = withEndpoint(args, url);
                    CommandLine cli = Bhatti.commandLineFor(argv);
                    cli.setOut(new PrintWriter(Writer.nullWriter()));
                    cli.setErr(new PrintWriter(Writer.nullWriter()));
                    cli.execute(argv);
                    runs++;
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            server.stop(0);
        }
        out.println("aot-train: " + runs + " CLI calls");
        return 0;
    }

    private static String[] withEndpoint(List<String> args, String url) {
        int dashes = args.contains("--") ? args.indexOf("--") : args.size();
        List<String> argv = new java.util.ArrayList<>(args.subList(0, dashes));
        argv.addAll(List.of("--url", url, "--token", "bht_training"));
        argv.addAll(args.subList(dashes, args.size()));
        return argv.toArray(String[]::new);
    }

    private static void answer(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        ex.getRequestBody().readAllBytes();
        boolean ndjson = String.valueOf(ex.getRequestHeaders().getFirst("Accept")).contains("ndjson");
        String body;
        if (path.equals("/health")) {
            body = "{\"status\":\"ok\",\"version\":\"training\"}";
        } else if (path.endsWith("/exec") && ndjson) {
            ex.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream o = ex.getResponseBody()) {
                o.write("{\"type\":\"stdout\",\"data\":\"a\\n\"}\n".getBytes(StandardCharsets.UTF_8));
                o.flush();
                o.write("{\"type\":\"exit\",\"exit_code\":0}\n".getBytes(StandardCharsets.UTF_8));
            }
            return;
        } else if (path.endsWith("/exec")) {
            body = "{\"exit_code\":0,\"stdout\":\"\",\"stderr\":\"\"}";
        } else if (path.endsWith("/sessions")) {
            body = "[]";
        } else if (path.equals("/sandboxes")) {
            body = "[" + SANDBOX + "]";
        } else {
            body = "{\"error\":\"no route\",\"code\":\"route_not_found\"}";
            send(ex, 404, body);
            return;
        }
        send(ex, 200, body);
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(bytes);
        }
    }
}

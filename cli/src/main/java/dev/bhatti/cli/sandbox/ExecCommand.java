package dev.bhatti.cli.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bhatti.api.ErrorCode;
import dev.bhatti.cli.api.ApiClient;
import dev.bhatti.cli.api.ApiError;
import dev.bhatti.cli.api.Body;
import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.api.Paths;
import dev.bhatti.cli.term.Tty;
import dev.bhatti.proto.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
    public Integer call() throws IOException {
        ApiClient client = options.client();
        if (detach) {
            JsonNode r = client.post(Paths.sandbox(sandbox) + "/exec", body());
            spec.commandLine().getOut().println("pid " + r.path("pid").asText() + ", output in "
                    + r.path("output_file").asText());
            return 0;
        }
        return stream || Tty.isTerminal(Tty.STDOUT) ? streamed(client) : buffered(client);
    }

    private int buffered(ApiClient client) {
        JsonNode r = client.post(Paths.sandbox(sandbox) + "/exec", body());
        write(System.out, r.path("stdout").asText(""));
        write(System.err, r.path("stderr").asText(""));
        return r.path("exit_code").asInt(1);
    }

    private int streamed(ApiClient client) throws IOException {
        ApiClient.Call request = client.postRequest(Paths.sandbox(sandbox) + "/exec", body())
                .header("Accept", "application/x-ndjson");
        try (InputStream in = client.stream(request).body()) {
            return relay(in);
        }
    }

    private Map<String, Object> body() {
        return new Body().put("cmd", cmd).put("timeout_sec", timeout).put("user", user).flag("detach", detach).fields();
    }

    private int relay(InputStream in) throws IOException {
        ObjectMapper json = Json.mapper();
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event = json.readTree(line);
            Integer exit = handle(event);
            if (exit != null) {
                return exit;
            }
        }
        throw new ApiError(0, "stream_ended", "the exec stream ended without an exit code");
    }

    private Integer handle(JsonNode event) {
        String data = event.path("data").asText("");
        return switch (event.path("type").asText()) {
            case "stdout" -> write(System.out, data);
            case "stderr" -> write(System.err, data);
            case "exit" -> event.path("exit_code").asInt(1);
            case "error" -> {
                System.out.flush();
                System.err.println("Error: " + data);
                yield ErrorCode.of(event.path("code").asText("")).filter(c -> c == ErrorCode.EXEC_TIMEOUT).isPresent()
                        ? EXIT_TIMEOUT : 1;
            }
            default -> null;
        };
    }

    private static Integer write(PrintStream stream, String data) {
        stream.print(data);
        stream.flush();
        return null;
    }
}

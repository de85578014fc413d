package dev.bhatti.cli.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bhatti.cli.api.ClientOptions;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti list}: the caller's sandboxes, newest first. */
@Command(name = "list", aliases = "ls", description = "List sandboxes.")
public final class ListCommand implements Runnable {
    @Spec CommandSpec spec;
    @Mixin ClientOptions options;
    @Option(names = "--json", description = "print the API's JSON") boolean json;
    @Option(names = "-o", description = "output format: wide adds CPUS MEMORY IMAGE LABELS") String format = "";

    @Override
    public void run() {
        JsonNode sandboxes = options.client().get("/sandboxes");
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(sandboxes.toPrettyString());
            return;
        }
        boolean wide = "wide".equals(format);
        out.println(header(wide));
        sandboxes.forEach(sb -> out.println(row(sb, wide)));
    }

    private static String header(boolean wide) {
        String base = String.format("%-24s %-8s %-8s %-15s", "NAME", "STATUS", "THERMAL", "IP");
        return wide ? base + String.format(" %-5s %-7s %-20s %s", "CPUS", "MEMORY", "IMAGE", "LABELS") : base.stripTrailing();
    }

    private static String row(JsonNode sb, boolean wide) {
        String base = String.format("%-24s %-8s %-8s %-15s", sb.path("name").asText(), sb.path("status").asText(),
                sb.path("thermal").asText(), sb.path("ip").asText(""));
        if (!wide) {
            return base.stripTrailing();
        }
        return base + String.format(" %-5s %-7s %-20s %s", sb.path("cpus").asText(),
                sb.path("memory_mb").asText() + "M", sb.path("image").asText(""), labels(sb.path("labels")));
    }

    private static String labels(JsonNode labels) {
        StringBuilder sb = new StringBuilder();
        labels.properties().forEach(e -> sb.append(sb.isEmpty() ? "" : ",").append(e.getKey()).append('=')
                .append(e.getValue().asText()));
        return sb.toString();
    }
}

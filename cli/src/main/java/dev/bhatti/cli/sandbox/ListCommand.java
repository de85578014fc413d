package dev.bhatti.cli.sandbox;

import static dev.bhatti.cli.output.Table.column;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.output.JsonOption;
import dev.bhatti.cli.output.Table;
import java.util.ArrayList;
import java.util.List;
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
    @Mixin JsonOption json;
    @Option(names = "-o", description = "output format: wide adds CPUS MEMORY IMAGE LABELS") String format = "";

    @Override
    public void run() {
        JsonNode sandboxes = options.client().get("/sandboxes");
        json.print(spec.commandLine().getOut(), sandboxes, table("wide".equals(format)));
    }

    private static Table table(boolean wide) {
        List<Table.Column> columns = new ArrayList<>(List.of(column("NAME", "name"), column("STATUS", "status"),
                column("THERMAL", "thermal"), column("IP", "ip")));
        if (wide) {
            columns.addAll(List.of(column("CPUS", "cpus"), column("MEMORY", sb -> sb.path("memory_mb").asText() + "M"),
                    column("IMAGE", "image"), column("LABELS", sb -> labels(sb.path("labels")))));
        }
        return Table.of(columns);
    }

    private static String labels(JsonNode labels) {
        StringBuilder sb = new StringBuilder();
        labels.properties().forEach(e -> sb.append(sb.isEmpty() ? "" : ",").append(e.getKey()).append('=')
                .append(e.getValue().asText()));
        return sb.toString();
    }
}

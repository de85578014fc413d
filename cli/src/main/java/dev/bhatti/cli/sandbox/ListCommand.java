package dev.bhatti.cli.sandbox;

import static dev.bhatti.cli.output.Table.column;

import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.output.JsonOption;
import dev.bhatti.cli.output.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        Object sandboxes = options.bhatti().raw().call("GET", "/sandboxes", null);
        json.print(spec.commandLine().getOut(), sandboxes, table("wide".equals(format)));
    }

    private static Table table(boolean wide) {
        List<Table.Column> columns = new ArrayList<>(List.of(column("NAME", "name"), column("STATUS", "status"),
                column("THERMAL", "thermal"), column("IP", "ip")));
        if (wide) {
            columns.addAll(List.of(column("CPUS", "cpus"), column("MEMORY", sb -> Table.text(sb.get("memory_mb")) + "M"),
                    column("IMAGE", "image"), column("LABELS", sb -> labels(Table.object(sb.get("labels"))))));
        }
        return Table.of(columns);
    }

    private static String labels(Map<?, ?> labels) {
        StringBuilder sb = new StringBuilder();
        labels.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ",").append(k).append('=').append(Table.text(v)));
        return sb.toString();
    }
}

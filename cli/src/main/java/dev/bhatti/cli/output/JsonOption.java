package dev.bhatti.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code --json}, mixed into every listing command: the API's JSON instead of the table. */
public final class JsonOption {
    @Option(names = "--json", description = "print the API's JSON instead of a table")
    boolean json;

    /** Whether {@code --json} was given. */
    public boolean on() {
        return json;
    }

    /** Prints {@code items} as pretty JSON with {@code --json}, else as {@code table}. */
    public void print(PrintWriter out, JsonNode items, Table table) {
        if (json) {
            out.println(items.toPrettyString());
            out.flush();
        } else {
            table.print(out, items);
        }
    }
}

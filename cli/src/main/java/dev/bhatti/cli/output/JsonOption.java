package dev.bhatti.cli.output;

import dev.bhatti.sdk.Json;
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

    /** Prints {@code items} (the daemon's JSON as a tree) pretty with {@code --json}, else as {@code table}. */
    public void print(PrintWriter out, Object items, Table table) {
        if (json) {
            out.println(Json.pretty(items));
            out.flush();
        } else {
            table.print(out, items);
        }
    }
}

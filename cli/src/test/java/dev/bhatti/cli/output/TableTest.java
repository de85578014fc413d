package dev.bhatti.cli.output;

import static dev.bhatti.cli.output.Table.column;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.sdk.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {
    private static final Table TABLE = Table.of(column("NAME", "name"), column("SIZE", "size_mb"),
            column("NOTE", v -> v.get("note") == null ? "-" : Table.text(v.get("note"))));

    private static String print(Table table, String json, boolean asJson) throws Exception {
        Object rows = Json.parse(json);
        StringWriter out = new StringWriter();
        JsonOption option = new JsonOption();
        option.json = asJson;
        option.print(new PrintWriter(out), rows, table);
        return out.toString();
    }

    @Test
    void columnsArePaddedToTheirWidestCellWithoutTrailingBlanks() throws Exception {
        String out = print(TABLE, "[{\"name\":\"a-long-name\",\"size_mb\":64,\"note\":\"x\"},{\"name\":\"b\",\"size_mb\":1024}]",
                false);
        assertThat(out.lines()).containsExactly(
                "NAME         SIZE  NOTE",
                "a-long-name  64    x",
                "b            1024  -");
    }

    @Test
    void missingAndNullFieldsAreBlank() throws Exception {
        String out = print(Table.of(column("NAME", "name"), column("IP", "ip")), "[{\"name\":\"a\",\"ip\":null}]", false);
        assertThat(out.lines()).containsExactly("NAME  IP", "a");
    }

    @Test
    void anEmptyListIsJustTheHeader() throws Exception {
        assertThat(print(TABLE, "[]", false).lines()).containsExactly("NAME  SIZE  NOTE");
    }

    @Test
    void jsonOptionPrintsTheApiJsonInstead() throws Exception {
        String out = print(TABLE, "[{\"name\":\"a\",\"size_mb\":1}]", true);
        assertThat(new ObjectMapper().readTree(out).get(0).path("size_mb").asInt()).isEqualTo(1);
        assertThat(out).doesNotContain("NAME");
    }
}

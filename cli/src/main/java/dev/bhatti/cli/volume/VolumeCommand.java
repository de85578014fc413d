package dev.bhatti.cli.volume;

import static dev.bhatti.cli.output.Table.column;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bhatti.cli.api.Body;
import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.api.Resource;
import dev.bhatti.cli.api.ResourceCommand;
import dev.bhatti.cli.output.Table;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bhatti volume create|list|delete}: persistent ext4 volumes, attached with {@code create --volume}. */
@Command(name = "volume", description = "Manage persistent volumes (attach with 'bhatti create --volume NAME:MOUNT').")
public final class VolumeCommand extends ResourceCommand {
    static final Resource VOLUMES = new Resource("/volumes", "volume", Table.of(column("NAME", "name"),
            column("SIZE", v -> v.path("size_mb").asText() + "M"), column("STATUS", "status"),
            column("ATTACHED_TO", v -> attachments(v.path("attachments"))), column("CREATED", "created_at")));

    public VolumeCommand() {
        super(VOLUMES);
    }

    @Command(name = "create", description = "Create an empty ext4 volume.")
    public void create(@Mixin ClientOptions options,
                       @Option(names = "--name", required = true, paramLabel = "NAME") String name,
                       @Option(names = "--size", required = true, paramLabel = "MIB", description = "size in MiB")
                       int sizeMb) {
        JsonNode v = options.client().post(VOLUMES.path(), new Body().put("name", name).put("size_mb", sizeMb).fields());
        out().printf("volume %s created (%s MiB)%n", v.path("name").asText(name), v.path("size_mb").asText());
    }

    /** {@code sandbox:mount[:ro]} for each attachment. */
    private static String attachments(JsonNode attachments) {
        List<String> out = new ArrayList<>();
        attachments.forEach(a -> out.add(a.path("sandbox_id").asText() + ":" + a.path("mount").asText()
                + (a.path("read_only").asBoolean() ? ":ro" : "")));
        return String.join(",", out);
    }
}

package dev.bhatti.cli.volume;

import static dev.bhatti.cli.output.Table.column;

import dev.bhatti.api.model.VolumeView;
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
            column("SIZE", v -> Table.text(v.get("size_mb")) + "M"), column("STATUS", "status"),
            column("ATTACHED_TO", v -> attachments(Table.array(v.get("attachments")))), column("CREATED", "created_at")));

    public VolumeCommand() {
        super(VOLUMES);
    }

    @Command(name = "create", description = "Create an empty ext4 volume.")
    public void create(@Mixin ClientOptions options,
                       @Option(names = "--name", required = true, paramLabel = "NAME") String name,
                       @Option(names = "--size", required = true, paramLabel = "MIB", description = "size in MiB")
                       int sizeMb) {
        VolumeView v = options.bhatti().volumes().create(name, sizeMb);
        out().printf("volume %s created (%s MiB)%n", v.name() == null ? name : v.name(), v.sizeMb());
    }

    /** {@code sandbox:mount[:ro]} for each attachment. */
    private static String attachments(List<?> attachments) {
        List<String> out = new ArrayList<>();
        attachments.forEach(item -> {
            var a = Table.object(item);
            out.add(Table.text(a.get("sandbox_id")) + ":" + Table.text(a.get("mount"))
                    + (Boolean.TRUE.equals(a.get("read_only")) ? ":ro" : ""));
        });
        return String.join(",", out);
    }
}

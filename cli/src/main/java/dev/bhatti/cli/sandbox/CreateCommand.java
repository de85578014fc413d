package dev.bhatti.cli.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bhatti.cli.api.ApiClient;
import dev.bhatti.cli.api.Body;
import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.term.Progress;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti create}: boots a sandbox; an existing name is left unchanged (exit 0). */
@Command(name = "create", description = "Create a sandbox.")
public final class CreateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions options;
    @Option(names = "--name") String name;
    @Option(names = "--cpus") Integer cpus;
    @Option(names = "--memory", description = "MiB") Integer memory;
    @Option(names = "--disk-size", description = "MiB") Integer diskSize;
    @Option(names = "--env", split = ",", description = "K=V, repeatable or comma separated") Map<String, String> env;
    @Option(names = "--init", description = "command run at boot") String init;
    @Option(names = "--keep-hot") boolean keepHot;
    @Option(names = "--template", description = "template name or id; options given here win") String template;
    @Option(names = "--secret", description = "secret name, repeatable") List<String> secrets = new ArrayList<>();
    @Option(names = "--label", description = "k=v, repeatable") Map<String, String> labels;
    @Option(names = "--volume", paramLabel = VolumeMount.FORMAT, converter = VolumeMount.Converter.class,
            description = "attach an existing volume (read-only with :ro), repeatable")
    List<VolumeMount> volumes = new ArrayList<>();
    @Option(names = "--file", paramLabel = FileUpload.FORMAT, converter = FileUpload.Converter.class,
            description = "copy a local file (at most 700 KiB, mode kept) into the guest at boot, repeatable")
    List<FileUpload> files = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        ApiClient client = options.client();
        ApiClient.Call request = client.postRequest("/sandboxes", body());
        ApiClient.Created created = client.created(Progress.around(spec.commandLine().getErr(),
                "creating " + (name == null ? "a sandbox" : name), () -> client.stream(request)));
        print(created.resource(), created.existing());
        return 0;
    }

    private Map<String, Object> body() {
        return new Body().put("name", name).put("cpus", cpus).put("memory_mb", memory).put("disk_size_mb", diskSize)
                .put("env", env).put("init", init).put("template_id", template).put("labels", labels)
                .flag("keep_hot", keepHot).put("secrets", secrets).put("volumes", volumes).put("files", files).fields();
    }

    private void print(JsonNode sb, boolean existing) {
        PrintWriter out = spec.commandLine().getOut();
        String name = sb.path("name").asText();
        out.printf("%s %s (%s)%n", existing ? "unchanged:" : "created:", name, sb.path("id").asText());
        out.printf("  cpus %s, memory %s MiB, ip %s%n", sb.path("cpus").asText(), sb.path("memory_mb").asText(),
                sb.path("ip").asText("-"));
        out.println("open a shell: bhatti shell " + name);
    }
}

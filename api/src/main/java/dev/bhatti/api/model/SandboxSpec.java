package dev.bhatti.api.model;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /sandboxes}; every field is optional ({@code null} or empty: the
 * daemon's default). Build one with {@link #builder()}.
 */
public record SandboxSpec(String name, Integer cpus, Integer memoryMb, Integer diskSizeMb, Map<String, String> env,
                          String init, Boolean keepHot, String templateId, String image, List<String> secrets,
                          List<FileEntry> files, List<VolumeRef> volumes, List<NewVolume> newVolumes,
                          Map<String, String> labels, String checkpoint, NetworkPolicy network) {

    /** A file written into the guest at boot; {@code content} is base64, {@code mode} octal. */
    public record FileEntry(String path, String content, String mode) {}

    /** An existing volume of the user, attached at {@code mount}. */
    public record VolumeRef(String name, String mount, Boolean readOnly) {}

    /** An ephemeral volume created with the sandbox and removed with it. */
    public record NewVolume(String name, Integer sizeMb, String mount) {}

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Sets fields one by one; unset fields take the daemon's defaults. */
    public static final class Builder {
        private String name;
        private Integer cpus;
        private Integer memoryMb;
        private Integer diskSizeMb;
        private Map<String, String> env;
        private String init;
        private Boolean keepHot;
        private String templateId;
        private String image;
        private List<String> secrets;
        private List<FileEntry> files;
        private List<VolumeRef> volumes;
        private List<NewVolume> newVolumes;
        private Map<String, String> labels;
        private String checkpoint;
        private NetworkPolicy network;

        private Builder() {}

        /** The sandbox's name (unique per user). */
        public Builder name(String value) { name = value; return this; }
        /** Virtual CPUs. */
        public Builder cpus(Integer value) { cpus = value; return this; }
        /** Memory in MiB. */
        public Builder memoryMb(Integer value) { memoryMb = value; return this; }
        /** Root disk size in MiB. */
        public Builder diskSizeMb(Integer value) { diskSizeMb = value; return this; }
        /** Environment of every command run in it. */
        public Builder env(Map<String, String> value) { env = value; return this; }
        /** A command started at boot. */
        public Builder init(String value) { init = value; return this; }
        /** Keep it running (never cooled). */
        public Builder keepHot(Boolean value) { keepHot = value; return this; }
        /** Start from the template with this id or name. */
        public Builder templateId(String value) { templateId = value; return this; }
        /** The guest image. */
        public Builder image(String value) { image = value; return this; }
        /** Names of secrets exported as environment variables. */
        public Builder secrets(List<String> value) { secrets = value; return this; }
        /** Files placed in the guest at boot. */
        public Builder files(List<FileEntry> value) { files = value; return this; }
        /** Existing volumes to attach. */
        public Builder volumes(List<VolumeRef> value) { volumes = value; return this; }
        /** Ephemeral volumes to create with it. */
        public Builder newVolumes(List<NewVolume> value) { newVolumes = value; return this; }
        /** Labels (key/value) for filtering. */
        public Builder labels(Map<String, String> value) { labels = value; return this; }

        /** Its egress policy (null: its template's, else the open default). */
        public Builder network(NetworkPolicy value) { network = value; return this; }

        /** Make it a copy of this checkpoint (its id); only a name may come with it. */
        public Builder checkpoint(String value) { checkpoint = value; return this; }

        /** The spec with what was set. */
        public SandboxSpec build() {
            return new SandboxSpec(name, cpus, memoryMb, diskSizeMb, env, init, keepHot, templateId, image, secrets,
                    files, volumes, newVolumes, labels, checkpoint, network);
        }
    }
}

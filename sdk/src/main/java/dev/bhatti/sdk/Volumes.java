package dev.bhatti.sdk;

import dev.bhatti.api.model.VolumeRequest;
import dev.bhatti.api.model.VolumeView;
import dev.bhatti.sdk.internal.Codec;
import java.util.List;

/** The caller's volumes: disks that outlive sandboxes and attach to them at create. */
public final class Volumes {
    private final Transport transport;

    Volumes(Transport transport) {
        this.transport = transport;
    }

    /** Creates a volume of {@code sizeMb} MiB ({@code null}: the default size). */
    public VolumeView create(String name, Integer sizeMb) {
        return transport.call("POST", "/volumes", new VolumeRequest(name, sizeMb), VolumeView.class);
    }

    /** The volumes. */
    public List<VolumeView> list() {
        return Codec.list(transport.json("GET", "/volumes", null), VolumeView.class);
    }

    /** One volume. */
    public VolumeView get(String name) {
        return transport.call("GET", "/volumes/" + Transport.encode(name), null, VolumeView.class);
    }

    /** Deletes a volume ({@link ConflictException} while attached). */
    public void delete(String name) {
        transport.json("DELETE", "/volumes/" + Transport.encode(name), null);
    }
}

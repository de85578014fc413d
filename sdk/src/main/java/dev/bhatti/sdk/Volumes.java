package dev.bhatti.sdk;

import dev.bhatti.api.model.VolumeRequest;
import dev.bhatti.api.model.VolumeView;

/**
 * The caller's volumes: disks that outlive sandboxes and attach to them at create
 * ({@code list}, {@code get}, {@code delete} by name).
 */
public final class Volumes extends NamedResources<VolumeView> {
    Volumes(Transport transport) {
        super(transport, "/volumes", VolumeView.class);
    }

    /** Creates a volume of {@code sizeMb} MiB ({@code null}: the default size). */
    public VolumeView create(String name, Integer sizeMb) {
        return post(new VolumeRequest(name, sizeMb));
    }
}

package dev.bhatti.sdk;

import dev.bhatti.sdk.internal.Codec;
import java.util.List;

/**
 * What {@link Templates} and {@link Volumes} share: a collection under one path whose members are
 * listed, read and deleted by id or name.
 *
 * @param <V> the member's view
 */
abstract sealed class NamedResources<V> permits Templates, Volumes {
    final Transport transport;
    private final String path;
    private final Class<V> view;

    NamedResources(Transport transport, String path, Class<V> view) {
        this.transport = transport;
        this.path = path;
        this.view = view;
    }

    /** All of them that the caller owns. */
    public List<V> list() {
        return Codec.list(transport.json("GET", path, null), view);
    }

    /** One by id or name ({@link NotFoundException} when the caller has none of that name). */
    public V get(String idOrName) {
        return transport.call("GET", path + "/" + Transport.encode(idOrName), null, view);
    }

    /**
     * Deletes one by id or name ({@link NotFoundException} when absent; for a volume,
     * {@link ConflictException} while a sandbox has it attached).
     */
    public void delete(String idOrName) {
        transport.json("DELETE", path + "/" + Transport.encode(idOrName), null);
    }

    /** Creates one from {@code request}. */
    V post(Object request) {
        return transport.call("POST", path, request, view);
    }
}

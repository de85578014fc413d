package dev.bhatti.sdk;

import dev.bhatti.api.model.TemplateRequest;
import dev.bhatti.api.model.TemplateView;
import dev.bhatti.sdk.internal.Codec;
import java.util.List;

/** The caller's templates: named defaults for sandboxes. */
public final class Templates {
    private final Transport transport;

    Templates(Transport transport) {
        this.transport = transport;
    }

    /** Creates a template. */
    public TemplateView create(TemplateRequest request) {
        return transport.call("POST", "/templates", request, TemplateView.class);
    }

    /** The templates. */
    public List<TemplateView> list() {
        return Codec.list(transport.json("GET", "/templates", null), TemplateView.class);
    }

    /** One template by id or name. */
    public TemplateView get(String idOrName) {
        return transport.call("GET", "/templates/" + Transport.encode(idOrName), null, TemplateView.class);
    }

    /** Deletes a template by id or name. */
    public void delete(String idOrName) {
        transport.json("DELETE", "/templates/" + Transport.encode(idOrName), null);
    }
}

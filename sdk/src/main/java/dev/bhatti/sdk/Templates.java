package dev.bhatti.sdk;

import dev.bhatti.api.model.TemplateRequest;
import dev.bhatti.api.model.TemplateView;

/** The caller's templates: named defaults for sandboxes ({@code list}, {@code get}, {@code delete} by id or name). */
public final class Templates extends NamedResources<TemplateView> {
    Templates(Transport transport) {
        super(transport, "/templates", TemplateView.class);
    }

    /** Creates a template. */
    public TemplateView create(TemplateRequest request) {
        return post(request);
    }
}

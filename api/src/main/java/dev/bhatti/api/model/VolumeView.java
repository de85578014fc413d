package dev.bhatti.api.model;

import java.util.List;

/** A volume: its size, {@code available} or {@code attached}, and where it is attached. */
public record VolumeView(String name, int sizeMb, String status, List<Attachment> attachments, String createdAt) {
    public VolumeView {
        attachments = attachments == null ? List.of() : attachments;
    }

    /** One sandbox the volume is attached to. */
    public record Attachment(String sandboxId, String mount, boolean readOnly) {}
}

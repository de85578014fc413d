package dev.bhatti.api.model;

import java.util.List;
import java.util.Map;

/** The body of {@code POST /templates}: defaults for sandboxes created from it ({@code network}: their egress policy). */
public record TemplateRequest(String name, String image, Integer cpus, Integer memoryMb, Map<String, String> env,
                              String init, List<String> secrets, NetworkPolicy network) {}

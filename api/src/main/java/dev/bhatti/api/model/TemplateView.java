package dev.bhatti.api.model;

import java.util.List;
import java.util.Map;

/** A template as stored. */
public record TemplateView(String id, String name, String image, Integer cpus, Integer memoryMb,
                           Map<String, String> env, String init, List<String> secrets, String createdAt,
                           NetworkPolicy network) {}

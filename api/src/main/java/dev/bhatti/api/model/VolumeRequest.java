package dev.bhatti.api.model;

/** The body of {@code POST /volumes}. */
public record VolumeRequest(String name, Integer sizeMb) {}

package dev.bhatti.api.model;

/** A secret as listed: its name and times, never its value. */
public record SecretView(String name, String createdAt, String updatedAt) {}

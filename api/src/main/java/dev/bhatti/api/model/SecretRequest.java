package dev.bhatti.api.model;

/** The body of {@code POST /secrets} (create or replace). */
public record SecretRequest(String name, String value) {}

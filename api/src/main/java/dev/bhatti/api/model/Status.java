package dev.bhatti.api.model;

/** The answer of calls that only confirm: {@code {"status":"deleted"}}, {@code ok}, {@code destroyed}. */
public record Status(String status) {}

package dev.bhatti.api.model;

/** A detached exec's answer: the guest pid and the file its output goes to. */
public record DetachedExec(long pid, String outputFile) {}

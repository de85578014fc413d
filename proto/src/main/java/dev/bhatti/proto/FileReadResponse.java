package dev.bhatti.proto;

/** FILE_READ_RESP payload: the file's total size (not the truncated size) and its mode. */
public record FileReadResponse(long size, String mode) {}

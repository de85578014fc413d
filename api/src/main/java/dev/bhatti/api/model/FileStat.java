package dev.bhatti.api.model;

/** {@code HEAD /sandboxes/:id/files}: the headers {@code X-File-Size}, {@code X-File-Mode}, {@code X-File-IsDir}. */
public record FileStat(long size, String mode, boolean isDir) {}

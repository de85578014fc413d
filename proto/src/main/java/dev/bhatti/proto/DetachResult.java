package dev.bhatti.proto;

/**
 * Answer to an EXEC_REQ with {@code detach}: sent as one STDOUT frame of JSON, followed by EXIT(0).
 *
 * @param pid        the background process
 * @param outputFile where its stdout and stderr go
 */
public record DetachResult(int pid, String outputFile) {}

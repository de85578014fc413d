/**
 * The agent's thin binding to libc through the FFM API ({@code java.lang.foreign}): owned file
 * descriptors, pipes, pseudo-terminals and {@code posix_spawn}-based child processes.
 *
 * <p>Every call is a blocking downcall that pins its carrier thread, so the blocking operations
 * ({@link dev.bhatti.agent.posix.Fd#read}, {@link dev.bhatti.agent.posix.Fd#awaitReadable},
 * {@link dev.bhatti.agent.posix.Child#waitFor}) belong on platform threads. Failures surface as
 * {@link dev.bhatti.agent.posix.PosixException}, which carries the {@code errno}. The binding
 * targets glibc on Linux x86_64 (glibc 2.34 or later) and needs
 * {@code --enable-native-access=ALL-UNNAMED}.
 */
package dev.bhatti.agent.posix;

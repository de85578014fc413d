/**
 * The host's client of the guest agent lohar (SPEC §1, §2). {@link dev.bhatti.client.AgentClient}
 * is the front door; {@link dev.bhatti.client.Transport} says how to reach the agent (Unix sockets
 * in test mode, TCP to a guest).
 *
 * <p>Choices worth knowing:
 * <ul>
 *   <li>One connection per operation, AUTH first when a token is held; nothing is pooled, so a
 *       failed operation never poisons the next one.</li>
 *   <li>Agent errors are told apart only by {@link dev.bhatti.client.AgentException#kind()}, which
 *       reads the ERROR message against {@link dev.bhatti.proto.AgentErrorText} (start failures,
 *       timeouts, missing files and sessions, ...) and is the only place that does. Buffered exec maps them to exit
 *       codes 127 and 124 (SPEC §4.2); streaming calls throw them.</li>
 *   <li>Buffered exec keeps at most 10 MiB of stdout and stderr together; later bytes are read and
 *       dropped (the command is not killed) and each stream that lost bytes ends with a marker
 *       ({@link dev.bhatti.client.CappedOutput}).</li>
 *   <li>Frame types this side does not know are skipped, except inside a
 *       {@link dev.bhatti.client.Terminal}, where they end the stream with a
 *       {@link dev.bhatti.proto.ProtocolException} (SPEC §1.1).</li>
 *   <li>Every blocking read can be ended from outside: closing the handle (or the whole client)
 *       closes the connection, and {@link dev.bhatti.client.AgentClient#waitReady} bounds each
 *       attempt with a watchdog that closes a connection which does not answer in time.</li>
 * </ul>
 */
package dev.bhatti.client;

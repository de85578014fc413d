/**
 * The HTTP API's vocabulary, shared by the daemon ({@code server}), the SDK and the CLI: the
 * {@link dev.bhatti.api.ErrorCode} catalogue, the states a sandbox shows, streamed exec events.
 * It has no dependencies, so a client that uses it loads nothing of the server.
 */
package dev.bhatti.api;

/**
 * The Java SDK of bhatti: {@link dev.bhatti.sdk.Bhatti} is the entry point. Request and response
 * bodies are the records of {@code dev.bhatti.api.model}; failures are
 * {@link dev.bhatti.sdk.BhattiException}s, one subclass per {@link dev.bhatti.api.ErrorCode.Family}.
 * {@code dev.bhatti.sdk.internal} is not API.
 */
package dev.bhatti.sdk;

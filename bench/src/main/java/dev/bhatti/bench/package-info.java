/**
 * Benchmarks: JMH micro-benchmarks of the frame codec, the scrollback ring and ExecRequest JSON,
 * and {@code exec-latency}, the end-to-end latency of {@code exec true} through the client against
 * a real test-mode lohar next to the in-process floor of spawning {@code /bin/true}. Run them with
 * {@code scripts/bench}; {@link dev.bhatti.bench.Bench} is the jar's entry point.
 */
package dev.bhatti.bench;

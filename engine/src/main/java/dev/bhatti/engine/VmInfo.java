package dev.bhatti.engine;

import java.util.Optional;

/**
 * A VM as the engine sees it.
 *
 * @param broken why the VM cannot be used (dead VMM, unusable snapshot), empty when fine
 */
public record VmInfo(String id, String name, Thermal thermal, int cpus, int memoryMb, Optional<String> broken) {}

package dev.bhatti.engine;

import java.util.Optional;

/**
 * A VM as the engine sees it.
 *
 * @param broken why the VM cannot be used (dead VMM, unusable snapshot), empty when fine
 * @param ip     the guest's address on a network the host shares with it (bridge mode), else empty
 * @param createdFrom how the VM was first made (kept in its directory across restarts)
 */
public record VmInfo(String id, String name, Thermal thermal, int cpus, int memoryMb, Optional<String> broken,
                     Optional<String> ip, CreatedFrom createdFrom) {}

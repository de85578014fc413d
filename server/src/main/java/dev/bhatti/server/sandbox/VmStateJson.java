package dev.bhatti.server.sandbox;

import dev.bhatti.engine.Engine;
import dev.bhatti.proto.Json;
import java.nio.charset.StandardCharsets;

/** The engine's VM state of a sandbox as the JSON text the store keeps for recovery. */
public final class VmStateJson {
    private VmStateJson() {}

    public static String of(Engine engine, String id) {
        return new String(Json.encode(engine.exportState(id).toMap()), StandardCharsets.UTF_8);
    }
}

package dev.bhatti.engine;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to bring a sandbox's VM back after a daemon restart. Stored by the daemon as
 * JSON; {@link #fromMap} accepts numbers of any numeric type (JSON may give back doubles).
 * {@code volumeSlots}: 0 for a VM booted with its volumes, else how many volume drives it has
 * (its volumes, then empty slots: it was restored from an image snapshot).
 */
public record VmState(String id, String name, Path dir, int cpus, int memoryMb, String token,
                      int controlPort, int forwardPort, List<VolumeState> volumes, int volumeSlots,
                      Optional<String> broken) {

    /** An attached volume image. */
    public record VolumeState(String image, boolean readOnly) {}

    public VmState {
        volumes = List.copyOf(volumes);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("dir", dir.toString());
        m.put("cpus", cpus);
        m.put("memory_mb", memoryMb);
        m.put("token", token);
        m.put("control_port", controlPort);
        m.put("forward_port", forwardPort);
        m.put("volumes", volumes.stream().map(v -> Map.of("image", v.image(), "read_only", v.readOnly())).toList());
        m.put("volume_slots", volumeSlots);
        broken.ifPresent(b -> m.put("broken", b));
        return m;
    }

    public static VmState fromMap(Map<String, ?> m) {
        return new VmState(text(m, "id"), text(m, "name"), Path.of(text(m, "dir")), number(m, "cpus"),
                number(m, "memory_mb"), text(m, "token"), number(m, "control_port"), number(m, "forward_port"),
                volumes(m.get("volumes")), m.containsKey("volume_slots") ? number(m, "volume_slots") : 0,
                Optional.ofNullable(m.get("broken")).map(Object::toString));
    }

    private static List<VolumeState> volumes(Object v) {
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw new EngineException.InvalidSpec("VM state field volumes is not a list: " + v);
        }
        return list.stream().map(e -> {
            if (!(e instanceof Map<?, ?> vol) || vol.get("image") == null) {
                throw new EngineException.InvalidSpec("VM state volume entry is malformed: " + e);
            }
            return new VolumeState(vol.get("image").toString(), Boolean.parseBoolean(String.valueOf(vol.get("read_only"))));
        }).toList();
    }

    private static String text(Map<String, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            throw new EngineException.InvalidSpec("VM state lacks " + key);
        }
        return v.toString();
    }

    private static int number(Map<String, ?> m, String key) {
        Object v = m.get(key);
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v instanceof String s) {
            return (int) Double.parseDouble(s);
        }
        throw new EngineException.InvalidSpec("VM state field " + key + " is not a number: " + v);
    }
}

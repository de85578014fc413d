package dev.bhatti.server.thermal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The daemon's side as a test sees it: a settable target list and every report the manager made. */
final class RecordingTargets implements ThermalTargets {
    private volatile List<Target> targets = List.of();
    final List<String> unknown = new CopyOnWriteArrayList<>();
    final Map<String, String> unknownReasons = new ConcurrentHashMap<>();
    final List<String> running = new CopyOnWriteArrayList<>();
    final Map<String, Instant> cold = new ConcurrentHashMap<>();

    void set(Target... t) {
        targets = List.of(t);
    }

    @Override
    public List<Target> targets() {
        return targets;
    }

    @Override
    public void markUnknown(String id, String reason) {
        unknown.add(id);
        unknownReasons.put(id, reason);
    }

    @Override
    public void markRunning(String id) {
        running.add(id);
    }

    @Override
    public void recordCold(String id, Instant at) {
        cold.put(id, at);
    }
}

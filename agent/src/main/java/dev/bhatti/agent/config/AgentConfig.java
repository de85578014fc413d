package dev.bhatti.agent.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config drive's {@code config.json} (SPEC §2.2), field names in snake_case. Absent
 * collections are empty, absent scalars {@code null}; collections keep the file's order and
 * are unmodifiable.
 *
 * @param sandboxId the sandbox this VM is
 * @param hostname  guest hostname, or {@code null}
 * @param token     agent auth token (hex), or {@code null} for none
 * @param env       config environment incl. secrets, merged between the exec defaults and the request env
 * @param files     files to write at boot, by absolute guest path
 * @param volumes   block devices to mount (guest image only)
 * @param init      command of the {@code init} session, or {@code null}
 * @param dns       nameserver addresses for resolv.conf
 * @param user      the user commands run as, or {@code null} for the default ({@code lohar})
 */
public record AgentConfig(
        String sandboxId,
        String hostname,
        String token,
        Map<String, String> env,
        Map<String, FileEntry> files,
        List<Volume> volumes,
        String init,
        List<String> dns,
        String user) {

    public AgentConfig {
        env = copy(env, "env");
        files = copy(files, "files");
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        dns = dns == null ? List.of() : List.copyOf(dns);
    }

    /**
     * One file to write.
     *
     * @param content base64 of the bytes ({@code null} = empty file)
     * @param mode    octal permission bits such as {@code "0600"} ({@code null} = 0644)
     */
    public record FileEntry(String content, String mode) {}

    /**
     * One volume: the block device, where it is mounted, its file system type and whether read-only.
     */
    public record Volume(String device, String mount, String fs, boolean readOnly) {}

    private static <V> Map<String, V> copy(Map<String, V> map, String field) {
        if (map == null) {
            return Map.of();
        }
        map.forEach((k, v) -> {
            if (v == null) {
                throw new IllegalArgumentException(field + " entry " + k + " must not be null");
            }
        });
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}

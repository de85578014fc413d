package dev.bhatti.proto;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * IDENTITY payload: who a VM restored from another VM's snapshot now is.
 *
 * @param token     the sandbox's new agent token (32 hex digits); the old one stops working at once
 * @param sandboxId the sandbox this VM now is
 * @param hostname  the new hostname ({@code /etc/hostname}, and sethostname(2) in a guest)
 * @param machineId the new {@code /etc/machine-id} (32 lower-case hex digits)
 * @param env       the sandbox's env (secrets included), replacing the snapshot's for later execs
 * @param files     files to write, by absolute guest path (content base64, mode octal)
 * @param init      command of the {@code init} session, started when none runs; or {@code null}
 * @param dns       nameserver addresses for {@code /etc/resolv.conf} (empty: leave it)
 * @param entropy   base64 of 32..512 host random bytes, credited to the guest kernel's pool
 * @param timeNs    the host's unix time in nanoseconds, for the guest's wall clock; or {@code null}
 * @param volumes   block devices to mount, attached to the restored VM's empty volume slots
 * @param network   bridge mode: the guest's own address and MAC, applied once IDENTITY is answered
 *                  (the host reaches the restored guest at its source's address until then); or {@code null}
 */
public record IdentityRequest(String token, String sandboxId, String hostname, String machineId,
                              Map<String, String> env, Map<String, File> files, String init, List<String> dns,
                              String entropy, Long timeNs, List<Volume> volumes,
                              Network network) {
    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern MACHINE_ID = Pattern.compile("[0-9a-f]{32}");
    static final int MIN_ENTROPY = 32;
    static final int MAX_ENTROPY = 512;

    /** One file: base64 content ({@code null}: empty) and octal mode ({@code null}: 0644). */
    public record File(String content, String mode) {}

    /** One volume: its block device ({@code /dev/vdX}), mount point (absolute), file system and whether read-only. */
    public record Volume(String device, String mount, String fs, boolean readOnly) {
        public Volume {
            if (device == null || !device.matches("/dev/vd[c-z]")) {
                throw new IllegalArgumentException("volume device must be /dev/vdc../dev/vdz, got " + device);
            }
            if (mount == null || !mount.startsWith("/")) {
                throw new IllegalArgumentException("volume mount must be an absolute path, got " + mount);
            }
            fs = fs == null ? "ext4" : fs;
        }
    }

    /** The guest's own network on its bridge: IPv4 address, prefix length, gateway and MAC. */
    public record Network(String address, int prefix, String gateway, String mac) {
        private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
        private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

        public Network {
            if (address == null || !IPV4.matcher(address).matches() || gateway == null || !IPV4.matcher(gateway).matches()) {
                throw new IllegalArgumentException("network address and gateway must be IPv4 addresses, got " + address
                        + " and " + gateway);
            }
            if (prefix < 1 || prefix > 30) {
                throw new IllegalArgumentException("network prefix must be 1..30, got " + prefix);
            }
            if (mac == null || !MAC.matcher(mac).matches()) {
                throw new IllegalArgumentException("network mac must be six lower-case hex pairs, got " + mac);
            }
        }
    }

    public IdentityRequest {
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("identity token must be 32 lower-case hex digits");
        }
        if (machineId == null || !MACHINE_ID.matcher(machineId).matches()) {
            throw new IllegalArgumentException("machine_id must be 32 lower-case hex digits");
        }
        if (hostname == null || hostname.isBlank()) {
            throw new IllegalArgumentException("hostname is required");
        }
        int seed = entropyBytes(entropy).length;
        if (seed < MIN_ENTROPY || seed > MAX_ENTROPY) {
            throw new IllegalArgumentException("entropy must be " + MIN_ENTROPY + ".." + MAX_ENTROPY + " bytes, got " + seed);
        }
        env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
        files = files == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
        files.keySet().forEach(Paths::requireValid);
        dns = dns == null ? List.of() : List.copyOf(dns);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }

    /** The entropy bytes. */
    public byte[] seed() {
        return entropyBytes(entropy);
    }

    private static byte[] entropyBytes(String entropy) {
        if (entropy == null) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(entropy);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("entropy is not base64: " + e.getMessage());
        }
    }
}

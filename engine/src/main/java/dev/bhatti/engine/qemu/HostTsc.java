package dev.bhatti.engine.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host's TSC frequency, for the guest kernel parameter {@code tsc_early_khz}. Under TCG the
 * guest's TSC is the host's; the guest kernel otherwise calibrates it against the PIT, which fails
 * on a busy host and then hangs the boot of a {@code microvm} (no PIT ticks arrive). Sources, best
 * first: sysfs {@code tsc_freq_khz}, the host kernel log, {@code /proc/cpuinfo}.
 */
final class HostTsc {
    private static final Pattern LOG = Pattern.compile(
            "tsc: (?:Refined TSC clocksource calibration|Detected) ([0-9.]+) MHz");
    private static final Pattern CPUINFO = Pattern.compile("cpu MHz\\s*:\\s*([0-9.]+)");

    private HostTsc() {}

    static OptionalLong khz() {
        try {
            Path sysfs = Path.of("/sys/devices/system/cpu/cpu0/tsc_freq_khz");
            if (Files.isReadable(sysfs)) {
                return OptionalLong.of(Long.parseLong(Files.readString(sysfs).strip()));
            }
            OptionalLong fromLog = lastMhz(LOG, kernelLog());
            return fromLog.isPresent() ? fromLog : lastMhz(CPUINFO, Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong lastMhz(Pattern p, String text) {
        Matcher m = p.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last == null ? OptionalLong.empty() : OptionalLong.of(Math.round(Double.parseDouble(last) * 1000));
    }

    private static String kernelLog() {
        try {
            Process p = new ProcessBuilder("dmesg").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}

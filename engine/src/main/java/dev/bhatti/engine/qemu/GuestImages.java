package dev.bhatti.engine.qemu;

import dev.bhatti.engine.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel, initramfs and base root disk that {@code scripts/image} builds (its {@code current} directory). */
public record GuestImages(Path kernel, Path initrd, Path rootfs) {
    public GuestImages {
        for (Path p : new Path[] {kernel, initrd, rootfs}) {
            if (!Files.isReadable(p)) {
                throw new EngineException.InvalidSpec("guest image file missing: " + p + " (run scripts/image)");
            }
        }
        rootfs = rootfs.toAbsolutePath();
    }

    /**
     * The images in {@code dir}: the kernel as the uncompressed PVH ELF {@code vmlinux} when present
     * (it boots faster under TCG) else {@code vmlinuz}, {@code initrd.img}, {@code rootfs-minimal.ext4}.
     */
    public static GuestImages in(Path dir) {
        Path real = dir.toAbsolutePath();
        Path kernel = Files.exists(real.resolve("vmlinux")) ? real.resolve("vmlinux") : real.resolve("vmlinuz");
        return new GuestImages(kernel, real.resolve("initrd.img"), real.resolve("rootfs-minimal.ext4"));
    }

    /** The images of the cache that {@code scripts/image} fills: {@code $BHATTI_IMAGE_CACHE/current} or the default. */
    public static GuestImages fromCache() {
        String cache = System.getenv().getOrDefault("BHATTI_IMAGE_CACHE", "/var/cache/bhatti/images");
        return in(Path.of(cache, "current"));
    }
}

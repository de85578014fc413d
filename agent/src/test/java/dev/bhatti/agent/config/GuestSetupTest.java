package dev.bhatti.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bhatti.agent.files.Owner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Applying a config under a root directory (SPEC §2.2); the VM uses "/", these tests a temp dir. */
class GuestSetupTest {
    @TempDir
    Path tmp;

    private Path root() throws Exception {
        return Files.createDirectories(tmp.resolve("root"));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static AgentConfig config(String hostname, List<String> dns, Map<String, AgentConfig.FileEntry> files) {
        return new AgentConfig("sb-1", hostname, null, Map.of(), files, List.of(), null, dns, null);
    }

    private static AgentConfig withFiles(Map<String, AgentConfig.FileEntry> files) {
        return config(null, List.of(), files);
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void filesAreWrittenUnderTheRootWithTheirModes() throws Exception {
        Path root = root();
        Map<String, AgentConfig.FileEntry> files = new LinkedHashMap<>();
        files.put("/home/lohar/.ssh/id_ed25519", new AgentConfig.FileEntry(b64("private"), "0600"));
        files.put("/workspace/readme.md", new AgentConfig.FileEntry(b64("# hi\n"), null));
        files.put("/usr/local/bin/tool", new AgentConfig.FileEntry(b64("#!/bin/sh\n"), "755"));

        GuestSetup.Report report = new GuestSetup(root, Optional.empty()).apply(withFiles(files));

        assertThat(report.applied()).containsExactly("/home/lohar/.ssh/id_ed25519", "/workspace/readme.md", "/usr/local/bin/tool");
        assertThat(report.skipped()).isEmpty();
        assertThat(Files.readString(root.resolve("home/lohar/.ssh/id_ed25519"))).isEqualTo("private");
        assertThat(mode(root.resolve("home/lohar/.ssh/id_ed25519"))).isEqualTo("rw-------");
        assertThat(mode(root.resolve("workspace/readme.md"))).isEqualTo("rw-r--r--");
        assertThat(mode(root.resolve("usr/local/bin/tool"))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void missingParentDirectoriesAreCreatedWithMode0755() throws Exception {
        Path root = root();

        new GuestSetup(root, Optional.empty()).apply(withFiles(Map.of("/a/b/c/file", new AgentConfig.FileEntry(b64("x"), "0600"))));

        for (String dir : List.of("a", "a/b", "a/b/c")) {
            assertThat(mode(root.resolve(dir))).as(dir).isEqualTo("rwxr-xr-x");
        }
    }

    @Test
    void binaryContentIsWrittenExactly() throws Exception {
        Path root = root();
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        String content = Base64.getEncoder().encodeToString(all);

        new GuestSetup(root, Optional.empty()).apply(withFiles(Map.of("/bin.dat", new AgentConfig.FileEntry(content, null))));

        assertThat(Files.readAllBytes(root.resolve("bin.dat"))).isEqualTo(all);
    }

    @Test
    void badEntriesAreSkippedAndReportedWhileGoodOnesAreWritten() throws Exception {
        Path root = root();
        Map<String, AgentConfig.FileEntry> files = new LinkedHashMap<>();
        files.put("/good-before", new AgentConfig.FileEntry(b64("1"), null));
        files.put("/bad-base64", new AgentConfig.FileEntry("!!not base64!!", null));
        files.put("/bad-mode", new AgentConfig.FileEntry(b64("x"), "0999"));
        files.put("/word-mode", new AgentConfig.FileEntry(b64("x"), "rw-r--r--"));
        files.put("../escape", new AgentConfig.FileEntry(b64("x"), null));
        files.put("/etc/../../escape-too", new AgentConfig.FileEntry(b64("x"), null));
        files.put("/good-after", new AgentConfig.FileEntry(b64("2"), null));

        GuestSetup.Report report = new GuestSetup(root, Optional.empty()).apply(withFiles(files));

        assertThat(report.applied()).containsExactly("/good-before", "/good-after");
        assertThat(report.skipped()).extracting(GuestSetup.Report.Skipped::path)
                .containsExactly("/bad-base64", "/bad-mode", "/word-mode", "../escape", "/etc/../../escape-too");
        assertThat(report.skipped()).extracting(GuestSetup.Report.Skipped::reason).satisfiesExactly(
                r -> assertThat(r).contains("base64"),
                r -> assertThat(r).contains("mode must be octal"),
                r -> assertThat(r).contains("mode must be octal"),
                r -> assertThat(r).contains("escapes the root"),
                r -> assertThat(r).contains("escapes the root"));
        assertThat(Files.readString(root.resolve("good-before"))).isEqualTo("1");
        assertThat(Files.readString(root.resolve("good-after"))).isEqualTo("2");
        assertThat(Files.exists(tmp.resolve("escape"))).isFalse();
        assertThat(Files.exists(tmp.resolve("escape-too"))).isFalse();
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("good-before", "good-after");
        }
    }

    @Test
    void anEntryNamingAnExistingDirectoryIsSkippedAsAFailedWrite() throws Exception {
        Path root = root();
        Files.createDirectories(root.resolve("srv/data"));

        GuestSetup.Report report = new GuestSetup(root, Optional.empty())
                .apply(withFiles(Map.of("/srv/data", new AgentConfig.FileEntry(b64("x"), null))));

        assertThat(report.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).startsWith("write failed"));
        assertThat(Files.isDirectory(root.resolve("srv/data"))).isTrue();
    }

    @Test
    void hostnameAndResolvConfAreWritten() throws Exception {
        Path root = root();

        GuestSetup.Report report = new GuestSetup(root, Optional.empty())
                .apply(config("box-1", List.of("1.1.1.1", "2606:4700:4700::1111"), Map.of()));

        assertThat(report.applied()).containsExactly("/etc/hostname", "/etc/resolv.conf");
        assertThat(Files.readString(root.resolve("etc/hostname"))).isEqualTo("box-1\n");
        assertThat(Files.readString(root.resolve("etc/resolv.conf")))
                .isEqualTo("nameserver 1.1.1.1\nnameserver 2606:4700:4700:0:0:0:0:1111\n");
        assertThat(mode(root.resolve("etc/resolv.conf"))).isEqualTo("rw-r--r--");
    }

    @Test
    void invalidHostnameAndNameserverAreSkippedAndValidOnesKept() throws Exception {
        Path root = root();

        GuestSetup.Report report = new GuestSetup(root, Optional.empty())
                .apply(config("bad host!", List.of("not-an-ip", "9.9.9.9"), Map.of()));

        assertThat(report.skipped()).extracting(GuestSetup.Report.Skipped::path).containsExactly("/etc/hostname", "/etc/resolv.conf");
        assertThat(Files.exists(root.resolve("etc/hostname"))).isFalse();
        assertThat(Files.readString(root.resolve("etc/resolv.conf"))).isEqualTo("nameserver 9.9.9.9\n");
    }

    @Test
    void withoutHostnameOrDnsTheImagesFilesAreLeftAlone() throws Exception {
        Path root = root();
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/resolv.conf"), "nameserver 10.0.0.1\n");

        GuestSetup.Report report = new GuestSetup(root, Optional.empty()).apply(withFiles(Map.of()));

        assertThat(report.applied()).isEmpty();
        assertThat(Files.readString(root.resolve("etc/resolv.conf"))).isEqualTo("nameserver 10.0.0.1\n");
        assertThat(Files.exists(root.resolve("etc/hostname"))).isFalse();
    }

    @Test
    void filesAndCreatedDirectoriesBelongToTheOwnerButSystemFilesDoNot() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
        Path root = root();
        Owner lohar = new Owner(4321, 4322);

        new GuestSetup(root, Optional.of(lohar)).apply(config("box", List.of(),
                Map.of("/home/lohar/notes.txt", new AgentConfig.FileEntry(b64("n"), null))));

        for (Path p : List.of(root.resolve("home"), root.resolve("home/lohar"), root.resolve("home/lohar/notes.txt"))) {
            assertThat(Files.getAttribute(p, "unix:uid")).as(p.toString()).isEqualTo(4321);
            assertThat(Files.getAttribute(p, "unix:gid")).as(p.toString()).isEqualTo(4322);
        }
        assertThat(Files.getAttribute(root.resolve("etc/hostname"), "unix:uid")).isEqualTo(0);
    }

    @Test
    void parsedConfigDriveAppliesEndToEnd() throws Exception {
        Path root = root();
        Path json = Files.writeString(tmp.resolve("config.json"), """
                {"hostname": "e2e", "dns": ["10.0.2.3"],
                 "files": {"/workspace/.env": {"content": "%s", "mode": "0640"}}}
                """.formatted(b64("A=1\n")));

        GuestSetup.Report report = new GuestSetup(root, Optional.empty()).apply(ConfigDrive.read(json));

        assertThat(report.applied()).containsExactly("/etc/hostname", "/etc/resolv.conf", "/workspace/.env");
        assertThat(Files.readString(root.resolve("workspace/.env"))).isEqualTo("A=1\n");
        assertThat(mode(root.resolve("workspace/.env"))).isEqualTo("rw-r-----");
    }
}

package dev.bhatti.agent.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.agent.LoharProcess;
import dev.bhatti.proto.FileInfo;
import dev.bhatti.proto.FrameType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** FILE_STAT_REQ and FILE_LS_REQ against a real lohar (SPEC §2.5). */
class FileStatListTest {
    private static LoharProcess lohar;
    private static FileClient client;
    private static Path workspace;

    @BeforeAll
    static void start() throws Exception {
        lohar = LoharProcess.start();
        client = new FileClient(lohar);
        workspace = lohar.workspace();
    }

    @AfterAll
    static void stop() throws Exception {
        lohar.close();
    }

    @Test
    void statOfAFileReportsNameSizeModeAndMtime() throws Exception {
        Path file = Files.writeString(workspace.resolve("stat-me.txt"), "12345");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(1_700_000_000L)));

        assertThat(client.stat("stat-me.txt")).isEqualTo(new FileInfo("stat-me.txt", 5, "0750", false, 1_700_000_000L));
    }

    @Test
    void statOfADirectoryReportsIsDir() throws Exception {
        Path dir = Files.createDirectories(workspace.resolve("a/b/subdir"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));

        FileInfo info = client.stat(dir.toString());

        assertThat(info.name()).isEqualTo("subdir");
        assertThat(info.isDir()).isTrue();
        assertThat(info.mode()).isEqualTo("0700");
    }

    @Test
    void statFollowsSymlinksButKeepsTheLinkName() throws Exception {
        Files.write(workspace.resolve("target.bin"), new byte[4096]);
        Files.createSymbolicLink(workspace.resolve("pointer"), Path.of("target.bin"));

        FileInfo info = client.stat("pointer");

        assertThat(info.name()).isEqualTo("pointer");
        assertThat(info.size()).isEqualTo(4096);
        assertThat(info.isDir()).isFalse();
    }

    @Test
    void statReportsSpecialModeBits() throws Exception {
        Path dir = Files.createDirectories(workspace.resolve("sticky"));
        Files.setAttribute(dir, "unix:mode", 01777);

        assertThat(client.stat("sticky").mode()).isEqualTo("1777");
    }

    @Test
    void statOfAMissingPathSaysNoSuchFile() throws Exception {
        assertThat(client.error(FrameType.FILE_STAT_REQ, "ghost.txt")).contains("ghost.txt").contains("no such file");
    }

    @Test
    void listReturnsEntriesSortedByNameWithTypesAndModes() throws Exception {
        Path dir = Files.createDirectories(workspace.resolve("project"));
        Files.writeString(dir.resolve("b.txt"), "bb");
        Files.createDirectories(dir.resolve("a-dir"));
        Path script = Files.writeString(dir.resolve("c.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("b.txt"), PosixFilePermissions.fromString("rw-------"));

        List<FileInfo> entries = client.ls("project");

        assertThat(entries).extracting(FileInfo::name).containsExactly("a-dir", "b.txt", "c.sh");
        assertThat(entries).extracting(FileInfo::isDir).containsExactly(true, false, false);
        assertThat(entries).extracting(FileInfo::mode).containsExactly("0755", "0600", "0755");
        assertThat(entries.get(1).size()).isEqualTo(2);
    }

    @Test
    void listOfAnEmptyDirectoryIsAnEmptyArray() throws Exception {
        Files.createDirectories(workspace.resolve("nothing-here"));

        assertThat(client.ls("nothing-here")).isEmpty();
    }

    @Test
    void listOfAFileIsAnError() throws Exception {
        Files.writeString(workspace.resolve("plain.txt"), "x");

        assertThat(client.error(FrameType.FILE_LS_REQ, "plain.txt")).isEqualTo("plain.txt is not a directory");
    }

    @Test
    void listOfAMissingDirectorySaysNoSuchFile() throws Exception {
        assertThat(client.error(FrameType.FILE_LS_REQ, "no-dir")).contains("no-dir").contains("no such file");
    }

    @Test
    void brokenSymlinkIsListedAsTheLinkItself() throws Exception {
        Path dir = Files.createDirectories(workspace.resolve("links"));
        Files.createSymbolicLink(dir.resolve("dangling"), Path.of("does-not-exist"));
        Files.writeString(dir.resolve("ok.txt"), "ok");

        List<FileInfo> entries = client.ls("links");

        assertThat(entries).extracting(FileInfo::name).containsExactly("dangling", "ok.txt");
        assertThat(entries.get(0).size()).isEqualTo("does-not-exist".length());
    }

    @Test
    void listingIsCappedAtTenThousandEntriesPlusASentinel() throws Exception {
        Path dir = Files.createDirectories(workspace.resolve("many"));
        for (int i = 0; i < 10_050; i++) {
            Files.createFile(dir.resolve(String.format("f%05d", i)));
        }

        List<FileInfo> entries = client.ls("many");

        assertThat(entries).hasSize(10_001);
        assertThat(entries.get(0).name()).isEqualTo("f00000");
        assertThat(entries.get(9_999).name()).isEqualTo("f09999");
        assertThat(entries.get(10_000)).isEqualTo(
                new FileInfo("... truncated at 10000 entries (10050 total)", 0, "0000", false, 0));
    }

    @Test
    void listingThatWouldExceedOneFrameIsShortenedAndSaysHowMany() throws Exception {
        Path dir = Files.createDirectories(workspace.resolve("long-names"));
        String pad = "n".repeat(200);
        for (int i = 0; i < 6_000; i++) {
            Files.createFile(dir.resolve(String.format("%04d-%s", i, pad)));
        }

        List<FileInfo> entries = client.ls("long-names");

        int kept = entries.size() - 1;
        assertThat(kept).isBetween(1000, 5999);
        assertThat(entries.getLast().name()).isEqualTo("... truncated at " + kept + " entries (6000 total)");
        assertThat(entries.get(kept - 1).name()).startsWith(String.format("%04d-", kept - 1));
    }
}

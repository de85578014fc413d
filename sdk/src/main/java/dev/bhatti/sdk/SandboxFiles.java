package dev.bhatti.sdk;

import dev.bhatti.api.model.FileEntry;
import dev.bhatti.api.model.FileStat;
import dev.bhatti.sdk.internal.Codec;
import dev.bhatti.sdk.internal.Http1;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Files in one sandbox: read and write as streams, list a directory, stat a path (absolute paths). */
public final class SandboxFiles {
    private final Transport transport;
    private final String sandboxPath;

    SandboxFiles(Transport transport, String sandboxPath) {
        this.transport = transport;
        this.sandboxPath = sandboxPath;
    }

    private String path(String file) {
        return sandboxPath + "/files?path=" + Transport.encode(file);
    }

    /** The file's bytes as they arrive; close the stream when done (it holds the connection). */
    public InputStream read(String file) {
        return transport.open("GET", path(file), Map.of(), null, -1).body();
    }

    /** The whole file. */
    public byte[] readBytes(String file) {
        try (InputStream in = read(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw transport.failed(e);
        }
    }

    /** The whole file as UTF-8 text. */
    public String readString(String file) {
        return new String(readBytes(file), StandardCharsets.UTF_8);
    }

    /** Writes {@code length} bytes from {@code content} to {@code file} (at most 100 MiB); {@code mode} octal or {@code null}. */
    public void write(String file, InputStream content, long length, String mode) {
        String target = path(file) + (mode == null ? "" : "&mode=" + Transport.encode(mode));
        try (Http1.Response r = transport.open("PUT", target, Map.of("Content-Type", "application/octet-stream"),
                content, length)) {
            r.body().transferTo(OutputDiscard.INSTANCE);
        } catch (IOException e) {
            throw transport.failed(e);
        }
    }

    /** Writes {@code content} to {@code file}. */
    public void write(String file, byte[] content) {
        write(file, new ByteArrayInputStream(content), content.length, null);
    }

    /** Writes UTF-8 text to {@code file}. */
    public void writeString(String file, String content) {
        write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /** The entries of directory {@code dir}. */
    public List<FileEntry> list(String dir) {
        return Codec.list(transport.json("GET", path(dir) + "&ls=true", null), FileEntry.class);
    }

    /** Size, mode and kind of {@code file}; {@link NotFoundException} when there is none. */
    public FileStat stat(String file) {
        try (Http1.Response r = transport.open("HEAD", path(file), Map.of(), null, -1)) {
            return new FileStat(Long.parseLong(r.header("X-File-Size").orElse("0")), r.header("X-File-Mode").orElse(""),
                    Boolean.parseBoolean(r.header("X-File-IsDir").orElse("false")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops a response body. */
    private static final class OutputDiscard extends java.io.OutputStream {
        static final OutputDiscard INSTANCE = new OutputDiscard();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }
}

package dev.bhatti.agent.files;

import dev.bhatti.agent.activity.Activity;
import dev.bhatti.agent.conn.Connection;
import dev.bhatti.proto.FileReadRequest;
import dev.bhatti.proto.FileReadResponse;
import dev.bhatti.proto.FileWriteRequest;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.PathRequest;
import dev.bhatti.proto.StatusReply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * File read (whole or truncated), atomic write, stat and list (SPEC §2.5). Relative paths
 * resolve against the workspace. Each method serves one request on the connection and
 * returns; the caller closes the connection. Problems with the file are answered with an
 * ERROR frame naming the path as the client gave it; an I/O error on the connection itself
 * (the client went away) propagates as {@link IOException}, which ends a transfer at once.
 * Reads and writes count as activity, stat and list do not.
 */
public final class FileService {
    /** Largest accepted FILE_WRITE_REQ size (SPEC §9): 100 MiB. */
    public static final long MAX_WRITE_BYTES = 100L * 1024 * 1024;
    /**
     * Largest content read from a file that stats as empty (procfs, sysfs): it is held in memory so
     * the size in FILE_READ_RESP is the true one; 10 MiB.
     */
    public static final long MAX_UNSIZED_READ_BYTES = 10L * 1024 * 1024;

    private final Path workspace;
    private final Optional<Owner> owner;
    private final Activity activity;

    /**
     * @param workspace base of relative paths
     * @param owner     uid:gid written files and created directories are chowned to; empty = leave as is
     * @param activity  touched by reads, writes and every STDIN frame of a write
     */
    public FileService(Path workspace, Optional<Owner> owner, Activity activity) {
        this.workspace = workspace;
        this.owner = owner;
        this.activity = activity;
    }

    /**
     * FILE_READ_RESP {total size, mode}, then the content (or the requested line window of it)
     * as STDOUT frames of at most 32 KiB, then EXIT(0). Streams from the file, except a file that
     * stats as empty (procfs and friends): that one is read to EOF first so the size is true.
     */
    public void read(FileReadRequest request, Connection conn) throws IOException {
        activity.touch();
        answer(conn, () -> {
            String shown = request.path();
            Path file = resolve(shown);
            Stat stat = Stat.require(file, shown);
            try (FileChannel channel = openRegular(file, stat, shown); InputStream opened = Channels.newInputStream(channel)) {
                long size = sizeOf(channel, shown);
                InputStream in = opened;
                if (size == 0) {
                    byte[] content = readUnsized(opened, shown);
                    size = content.length;
                    in = new ByteArrayInputStream(content);
                }
                conn.out().sendJson(FrameType.FILE_READ_RESP, new FileReadResponse(size, stat.octal()));
                Optional<LineWindow> window = request.truncated() ? Optional.of(LineWindow.of(request)) : Optional.empty();
                new ContentStream(in, shown, conn.out()).send(window);
            }
            conn.out().exit(0);
        });
    }

    /**
     * Receives exactly {@code size} bytes as STDIN frames into a temp file next to the target,
     * then fsyncs, chowns, chmods (request mode, default 0644) and renames it over the target;
     * replies FILE_WRITE_RESP ok. Parent directories are created (0755). On any failure, or
     * when the connection is lost mid-write, the temp file is removed and the target untouched.
     */
    public void write(FileWriteRequest request, Connection conn) throws IOException {
        activity.touch();
        answer(conn, () -> {
            String shown = request.path();
            checkSize(request.size());
            Path target = resolve(shown);
            if (Files.isDirectory(target)) {
                throw new FileProblem(shown + " is a directory");
            }
            try (AtomicFile file = createAtomic(target, shown)) {
                new Upload(conn, activity, request.size(), shown).receiveInto(file);
                commit(file, request.modeBits(), shown);
            }
            conn.out().sendJson(FrameType.FILE_WRITE_RESP, StatusReply.ok());
        });
    }

    /** FILE_STAT_RESP with the FileInfo of the path, following symlinks. */
    public void stat(PathRequest request, Connection conn) throws IOException {
        answer(conn, () -> {
            Path path = resolve(request.path());
            Stat stat = Stat.require(path, request.path());
            conn.out().sendJson(FrameType.FILE_STAT_RESP, stat.info(baseName(path)));
        });
    }

    /** FILE_LS_RESP: a FileInfo per entry, sorted by name, capped at 10,000 plus a sentinel entry. */
    public void list(PathRequest request, Connection conn) throws IOException {
        answer(conn, () -> conn.out().write(FrameType.FILE_LS_RESP,
                Listing.encoded(resolve(request.path()), request.path())));
    }

    /**
     * Writes {@code content} to {@code target} the way a FILE_WRITE does (parents 0755, temp file,
     * fsync, owner, exact mode, atomic rename); for boot-time files from the config drive.
     */
    public static void install(Path target, byte[] content, int mode, Optional<Owner> owner) throws IOException {
        try (AtomicFile file = AtomicFile.create(target, owner)) {
            file.write(content, 0, content.length);
            file.commit(mode, owner);
        }
    }

    private interface Action {
        void run() throws IOException, FileProblem;
    }

    private static void answer(Connection conn, Action action) throws IOException {
        try {
            action.run();
        } catch (FileProblem p) {
            conn.out().error(p.getMessage());
        }
    }

    private Path resolve(String path) throws FileProblem {
        try {
            return workspace.resolve(path);
        } catch (InvalidPathException e) {
            throw new FileProblem(path + ": invalid path: " + e.getReason(), e);
        }
    }

    private static FileChannel openRegular(Path file, Stat stat, String shown) throws FileProblem {
        if (stat.dir()) {
            throw new FileProblem(shown + " is a directory");
        }
        if (!stat.regular()) {
            throw new FileProblem(shown + " is not a regular file");
        }
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw FileProblem.of(shown, e);
        }
    }

    private static long sizeOf(FileChannel channel, String shown) throws FileProblem {
        try {
            return channel.size();
        } catch (IOException e) {
            throw FileProblem.of(shown, e);
        }
    }

    /**
     * The content of a file whose stat size is 0, read to EOF: procfs, sysfs and similar files
     * report 0 yet have content, and the size the reply announces must be the bytes that follow.
     * Bounded by {@link #MAX_UNSIZED_READ_BYTES}; a truly empty file reads as empty.
     */
    private static byte[] readUnsized(InputStream in, String shown) throws FileProblem {
        try {
            byte[] content = in.readNBytes((int) MAX_UNSIZED_READ_BYTES + 1);
            if (content.length > MAX_UNSIZED_READ_BYTES) {
                throw new FileProblem(shown + " reports size 0 but has more than " + MAX_UNSIZED_READ_BYTES
                        + " bytes (10 MiB), the limit for files of unknown size");
            }
            return content;
        } catch (IOException e) {
            throw new FileProblem(shown + ": read failed: " + e.getMessage(), e);
        }
    }

    private static void checkSize(long size) throws FileProblem {
        if (size < 0) {
            throw new FileProblem("file size must be >= 0");
        }
        if (size > MAX_WRITE_BYTES) {
            throw new FileProblem("file size " + size + " exceeds the limit of " + MAX_WRITE_BYTES + " bytes (100 MiB)");
        }
    }

    private AtomicFile createAtomic(Path target, String shown) throws FileProblem {
        try {
            return AtomicFile.create(target, owner);
        } catch (IOException e) {
            throw FileProblem.of(shown, e);
        }
    }

    private void commit(AtomicFile file, int mode, String shown) throws FileProblem {
        try {
            file.commit(mode, owner);
        } catch (IOException e) {
            throw FileProblem.of(shown, e);
        }
    }

    private static String baseName(Path path) {
        Path name = path.toAbsolutePath().normalize().getFileName();
        return name == null ? "/" : name.toString();
    }
}

package dev.bhatti.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.bhatti.proto.FileInfo;
import dev.bhatti.proto.FileReadRequest;
import dev.bhatti.proto.FileReadResponse;
import dev.bhatti.proto.FileWriteRequest;
import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.Json;
import dev.bhatti.proto.PathRequest;
import dev.bhatti.proto.Payloads;
import dev.bhatti.proto.StatusReply;
import dev.bhatti.proto.Wire;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/** The file conversations of SPEC §2.5 on one connection each; content is streamed, never held whole. */
final class FileOps {
    private static final TypeReference<List<FileInfo>> FILE_LIST = new TypeReference<>() {};

    private FileOps() {}

    /** Sends the request and reads FILE_READ_RESP; content frames follow on {@code conn}. */
    static FileReadResponse startRead(AgentConnection conn, FileReadRequest request) throws IOException {
        conn.send(FrameType.FILE_READ_REQ, request);
        return conn.expectJson(FrameType.FILE_READ_RESP, FileReadResponse.class, "read of " + request.path());
    }

    /** Copies the content frames to {@code sink} until EXIT(0). */
    static void copyContent(AgentConnection conn, String path, OutputStream sink) throws IOException {
        while (true) {
            Frame f = conn.next("read of " + path);
            switch (f.kind().orElseThrow()) {
                case STDOUT -> sink.write(f.payload());
                case EXIT -> {
                    requireZeroExit(Payloads.exit(f.payload()), path);
                    return;
                }
                default -> throw AgentConnection.unexpected(f, "read of " + path);
            }
        }
    }

    static void requireZeroExit(int code, String path) throws IOException {
        if (code != 0) {
            throw new IOException("read of " + path + " ended with exit code " + code);
        }
    }

    /** Sends the request, exactly {@code size} bytes of {@code content} in STDIN chunks, and reads the status. */
    static void write(AgentConnection conn, FileWriteRequest request, InputStream content) throws IOException {
        conn.send(FrameType.FILE_WRITE_REQ, request);
        byte[] buf = new byte[Wire.CHUNK_SIZE];
        for (long left = request.size(); left > 0; ) {
            int n = content.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException("content for " + request.path() + " ended after " + (request.size() - left)
                        + " of " + request.size() + " bytes");
            }
            send(conn, () -> conn.out().write(FrameType.STDIN, buf, 0, n));
            left -= n;
        }
        StatusReply reply = conn.expectJson(FrameType.FILE_WRITE_RESP, StatusReply.class, "write of " + request.path());
        if (!reply.succeeded()) {
            throw new AgentException(reply.message() == null ? "write of " + request.path() + " failed" : reply.message());
        }
    }

    private interface Send {
        void run() throws IOException;
    }

    /** Runs a write; when it fails because the agent answered early and closed, reports the agent's ERROR. */
    private static void send(AgentConnection conn, Send send) throws IOException {
        try {
            send.run();
        } catch (IOException e) {
            throw conn.explain(e);
        }
    }

    static FileInfo stat(AgentConnection conn, String path) throws IOException {
        conn.send(FrameType.FILE_STAT_REQ, new PathRequest(path));
        return conn.expectJson(FrameType.FILE_STAT_RESP, FileInfo.class, "stat of " + path);
    }

    static List<FileInfo> list(AgentConnection conn, String path) throws IOException {
        conn.send(FrameType.FILE_LS_REQ, new PathRequest(path));
        return Json.decode(conn.expect(FrameType.FILE_LS_RESP, "list of " + path).payload(), FILE_LIST, "FileInfo list");
    }
}

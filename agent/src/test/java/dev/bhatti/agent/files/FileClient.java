package dev.bhatti.agent.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.bhatti.agent.AgentSocket;
import dev.bhatti.agent.LoharProcess;
import dev.bhatti.proto.ActivityInfo;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The file requests of SPEC §2.5 spoken frame by frame to a real lohar, one connection each. */
final class FileClient {
    private final LoharProcess lohar;

    FileClient(LoharProcess lohar) {
        this.lohar = lohar;
    }

    /** A successful read: the header, the content and the size of every STDOUT frame. */
    record Read(FileReadResponse header, byte[] content, List<Integer> frameSizes) {
        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    Read read(FileReadRequest request) throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(FrameType.FILE_READ_REQ, request);
            FileReadResponse header = s.expectJson(FrameType.FILE_READ_RESP, FileReadResponse.class);
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            List<Integer> sizes = new ArrayList<>();
            Frame f = s.next();
            for (; !f.is(FrameType.EXIT); f = s.next()) {
                assertThat(f.kind()).as("frame %s: %s", f, f.text()).contains(FrameType.STDOUT);
                sizes.add(f.payload().length);
                content.writeBytes(f.payload());
            }
            assertThat(Payloads.exit(f.payload())).as("read exit code").isZero();
            assertThat(s.closedByAgent(AgentSocket.WAIT)).as("agent closes after EXIT").isTrue();
            return new Read(header, content.toByteArray(), sizes);
        }
    }

    Read read(String path) throws Exception {
        return read(FileReadRequest.whole(path));
    }

    String readError(String path) throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(FrameType.FILE_READ_REQ, FileReadRequest.whole(path));
            return s.expectError();
        }
    }

    /** Writes content in STDIN frames of at most 32 KiB and expects FILE_WRITE_RESP ok. */
    void write(String path, String mode, byte[] content) throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            sendWrite(s, new FileWriteRequest(path, mode, content.length), content);
            StatusReply reply = s.expectJson(FrameType.FILE_WRITE_RESP, StatusReply.class);
            assertThat(reply.succeeded()).as("write reply %s", reply).isTrue();
        }
    }

    void write(String path, String content) throws Exception {
        write(path, null, content.getBytes(StandardCharsets.UTF_8));
    }

    static void sendWrite(AgentSocket s, FileWriteRequest request, byte[] content) throws Exception {
        s.sendJson(FrameType.FILE_WRITE_REQ, request);
        for (int off = 0; off < content.length; off += Wire.CHUNK_SIZE) {
            s.send(FrameType.STDIN, Arrays.copyOfRange(content, off, Math.min(content.length, off + Wire.CHUNK_SIZE)));
        }
    }

    /** Sends a write request and the given STDIN frames, and returns the ERROR message. */
    String writeError(FileWriteRequest request, byte[]... frames) throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(FrameType.FILE_WRITE_REQ, request);
            try {
                for (byte[] f : frames) {
                    s.send(FrameType.STDIN, f);
                }
            } catch (IOException refusedEarly) {
                // lohar may refuse before reading the content and close; its ERROR is already on the way
                assertThat(refusedEarly).hasMessageContaining("pipe");
            }
            return s.expectError();
        }
    }

    FileInfo stat(String path) throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(FrameType.FILE_STAT_REQ, new PathRequest(path));
            return s.expectJson(FrameType.FILE_STAT_RESP, FileInfo.class);
        }
    }

    List<FileInfo> ls(String path) throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(FrameType.FILE_LS_REQ, new PathRequest(path));
            return Json.decode(s.expect(FrameType.FILE_LS_RESP).payload(), new TypeReference<List<FileInfo>>() {},
                    "FileInfo list");
        }
    }

    /** Sends a stat or ls request and returns the ERROR message. */
    String error(FrameType type, String path) throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.sendJson(type, new PathRequest(path));
            return s.expectError();
        }
    }

    ActivityInfo activity() throws Exception {
        try (AgentSocket s = AgentSocket.control(lohar)) {
            s.send(FrameType.ACTIVITY_REQ);
            return s.expectJson(FrameType.ACTIVITY_RESP, ActivityInfo.class);
        }
    }
}

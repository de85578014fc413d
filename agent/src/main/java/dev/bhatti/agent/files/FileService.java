package dev.bhatti.agent.files;

import dev.bhatti.agent.activity.Activity;
import dev.bhatti.agent.conn.Connection;
import dev.bhatti.proto.FileReadRequest;
import dev.bhatti.proto.FileWriteRequest;
import dev.bhatti.proto.PathRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** File read (whole or truncated), atomic write, stat and list (SPEC §2.5). */
public final class FileService {
    public FileService(Path workspace, Optional<Owner> owner, Activity activity) {}

    public void read(FileReadRequest request, Connection conn) throws IOException {
        conn.tryError("files: in progress");
    }

    public void write(FileWriteRequest request, Connection conn) throws IOException {
        conn.tryError("files: in progress");
    }

    public void stat(PathRequest request, Connection conn) throws IOException {
        conn.tryError("files: in progress");
    }

    public void list(PathRequest request, Connection conn) throws IOException {
        conn.tryError("files: in progress");
    }
}

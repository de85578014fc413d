package dev.bhatti.proto;

/** FWD_RESP and FILE_WRITE_RESP payload: {@code {"status":"ok"}} or {@code {"status":"error","message":...}}. */
public record StatusReply(String status, String message) {
    public static final String OK = "ok";
    public static final String ERROR = "error";

    public StatusReply {
        if (!OK.equals(status) && !ERROR.equals(status)) {
            throw new IllegalArgumentException("status must be ok or error, got " + status);
        }
    }

    public static StatusReply ok() {
        return new StatusReply(OK, null);
    }

    public static StatusReply error(String message) {
        return new StatusReply(ERROR, message);
    }

    public boolean succeeded() {
        return OK.equals(status);
    }
}

package dev.bhatti.agent.files;

/** The uid/gid that files written for the user belong to (lohar, 1000:1000, in the guest). */
public record Owner(int uid, int gid) {
    public Owner {
        if (uid < 0 || gid < 0) {
            throw new IllegalArgumentException("uid and gid must be >= 0, got " + uid + ":" + gid);
        }
    }
}

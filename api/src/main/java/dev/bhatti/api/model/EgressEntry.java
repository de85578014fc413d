package dev.bhatti.api.model;

/**
 * One entry of a sandbox's egress audit log ({@code GET /sandboxes/:id/egress}, decision 0024): a
 * new connection its guest tried, or a name it asked the resolver for ({@code protocol} {@code dns});
 * {@code verdict} is {@code allowed} or {@code denied}; {@code at} is an RFC 3339 time.
 */
public record EgressEntry(String at, String protocol, String address, Integer port, String domain, String verdict) {
    public boolean allowed() {
        return "allowed".equals(verdict);
    }
}

package dev.bhatti.engine.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a sandbox's guest may open connections (decision 0024). With no entries and
 * {@code blockAll} false the outside world is open and private, link-local and loopback ranges
 * are not ({@link EgressRules#NOT_OUTSIDE}). {@code denyOut} closes destinations; {@code blockAll}
 * closes everything; {@code allowOut} opens destinations and wins over both (and over the closed
 * ranges), so {@code blockAll} with {@code allowOut} is an allow list. An entry is an IPv4 address,
 * a CIDR, a domain ({@code example.com}) or every name under one ({@code *.example.com}), each
 * optionally with {@code :port}. A domain rule covers the addresses its names resolve to through
 * the sandbox's resolver, for as long as the answer's TTL (at least 60 s).
 */
public record EgressPolicy(List<Rule> allowOut, List<Rule> denyOut, boolean blockAll) {
    /** The most entries each list may hold. */
    public static final int MAX_ENTRIES = 256;
    /** No rule: the outside open, the host's and private networks closed. */
    public static final EgressPolicy OPEN = new EgressPolicy(List.of(), List.of(), false);

    private static final Pattern ADDRESS = Pattern.compile(
            "^((?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d))(?:/(\\d{1,2}))?(?::(\\d{1,5}))?$");
    private static final Pattern DOMAIN = Pattern.compile(
            "^(\\*\\.)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9])\\.?(?::(\\d{1,5}))?$");

    public EgressPolicy {
        allowOut = List.copyOf(allowOut);
        denyOut = List.copyOf(denyOut);
    }

    /** One entry: an address range or a domain, and the port it is limited to (0: every port). */
    public sealed interface Rule permits Net, Domain {
        int port();

        /** The entry as written back (normalized). */
        String text();
    }

    /** An IPv4 range, {@code a.b.c.d/n}. */
    public record Net(String cidr, int port) implements Rule {
        public String text() {
            String c = cidr.endsWith("/32") ? cidr.substring(0, cidr.length() - 3) : cidr;
            return port == 0 ? c : c + ":" + port;
        }
    }

    /** A domain, or with {@code wildcard} every name below it (not the domain itself). */
    public record Domain(String name, boolean wildcard, int port) implements Rule {
        public boolean matches(String host) {
            String h = host.toLowerCase(Locale.ROOT);
            return wildcard ? h.endsWith("." + name) : h.equals(name);
        }

        public String text() {
            String d = wildcard ? "*." + name : name;
            return port == 0 ? d : d + ":" + port;
        }
    }

    /**
     * Parses the API's lists; {@link IllegalArgumentException} names the first bad entry and its
     * list ({@code allow_out[2]: ...}).
     */
    public static EgressPolicy parse(List<String> allowOut, List<String> denyOut, boolean blockAll) {
        return new EgressPolicy(rules("allow_out", allowOut), rules("deny_out", denyOut), blockAll);
    }

    /** The API's form of the lists. */
    public List<String> allowTexts() {
        return allowOut.stream().map(Rule::text).toList();
    }

    public List<String> denyTexts() {
        return denyOut.stream().map(Rule::text).toList();
    }

    /** The allow_out domain rules that cover {@code host}. */
    public List<Domain> allowedDomains(String host) {
        return allowOut.stream().filter(r -> r instanceof Domain d && d.matches(host)).map(r -> (Domain) r).toList();
    }

    /** The deny_out domain rules that cover {@code host}. */
    public List<Domain> deniedDomains(String host) {
        return denyOut.stream().filter(r -> r instanceof Domain d && d.matches(host)).map(r -> (Domain) r).toList();
    }

    /**
     * Whether the relay answers a query for {@code host}: not when a deny_out domain covers it
     * (unless an allow_out domain does too), nor under block_all unless an allow_out domain covers
     * it (DNS would otherwise be a way out).
     */
    public boolean resolves(String host) {
        if (!allowedDomains(host).isEmpty()) {
            return true;
        }
        return !blockAll && deniedDomains(host).isEmpty();
    }

    private static List<Rule> rules(String list, List<String> entries) {
        if (entries == null) {
            return List.of();
        }
        if (entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException(list + " holds " + entries.size() + " entries; at most " + MAX_ENTRIES);
        }
        List<Rule> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String raw = entries.get(i);
            try {
                out.add(rule(raw));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(list + "[" + i + "]: " + e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    static Rule rule(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("an entry must not be empty");
        }
        String e = raw.strip().toLowerCase(Locale.ROOT);
        Matcher a = ADDRESS.matcher(e);
        if (a.matches()) {
            int bits = a.group(2) == null ? 32 : Integer.parseInt(a.group(2));
            if (bits > 32) {
                throw new IllegalArgumentException("\"" + raw + "\": a prefix length is 0 to 32");
            }
            return new Net(network(a.group(1), bits) + "/" + bits, port(raw, a.group(3)));
        }
        Matcher d = DOMAIN.matcher(e);
        if (d.matches() && d.group(2).length() <= 253) {
            return new Domain(d.group(2), d.group(1) != null, port(raw, d.group(3)));
        }
        throw new IllegalArgumentException("\"" + raw + "\" is not an IPv4 address, a CIDR, a domain or *.domain"
                + " (each optionally with :port)");
    }

    private static int port(String raw, String port) {
        if (port == null) {
            return 0;
        }
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("\"" + raw + "\": a port is 1 to 65535");
        }
        return p;
    }

    /** The range's first address: {@code 10.1.2.3/8} → {@code 10.0.0.0}. */
    private static String network(String address, int bits) {
        String[] o = address.split("\\.");
        long v = 0;
        for (String s : o) {
            v = (v << 8) | Integer.parseInt(s);
        }
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        v &= mask;
        return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
    }
}

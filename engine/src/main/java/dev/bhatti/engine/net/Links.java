package dev.bhatti.engine.net;

import java.util.List;

/** Looks up network interfaces through {@code ip link}. */
final class Links {
    private Links() {}

    static boolean exists(HostCommands host, String name) {
        return host.attempt("look up " + name, "", List.of("ip", "link", "show", "dev", name)).ok();
    }

    /** Names of all interfaces starting with {@code prefix}, in {@code ip link} order. */
    static List<String> named(HostCommands host, String prefix) {
        String out = host.run("list interfaces", List.of("ip", "-o", "link", "show"));
        return out.lines().map(Links::name).filter(n -> n.startsWith(prefix)).toList();
    }

    /** The name in an {@code ip -o link} line such as {@code 7: bhtap01@NONE: <BROADCAST,...>}. */
    static String name(String line) {
        String[] fields = line.split(":\\s+", 3);
        if (fields.length < 2) {
            return "";
        }
        String name = fields[1];
        int at = name.indexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }
}

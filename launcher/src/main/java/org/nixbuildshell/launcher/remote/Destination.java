package org.nixbuildshell.launcher.remote;

/**
 * Where ssh goes: {@code [USER@]HOST} as ssh takes it (an alias of
 * ~/.ssh/config works), the port when one was given, and what a builders list
 * adds: the key to log in with and the builder's public host key (base64, as
 * Nix's machines file has it), each null when absent.
 */
public record Destination(String userHost, Integer port, String identity, String hostKey) {

    /** {@code [USER@]HOST[:PORT]}, HOST possibly in brackets (IPv6). */
    static Destination parse(String authority) {
        String host = authority;
        Integer portNumber = null;
        int colon = authority.lastIndexOf(':');
        int bracket = authority.lastIndexOf(']');
        // [v6]:PORT, or HOST:PORT with one colon (a bare IPv6 address has several and no port)
        boolean port = bracket >= 0 ? colon > bracket : colon > 0 && authority.indexOf(':') == colon;
        if (port) {
            String digits = authority.substring(colon + 1);
            if (!digits.matches("\\d{1,5}")) {
                throw new IllegalArgumentException(authority + ": the port must be a number, as in ssh://builder:2222/PATH");
            }
            portNumber = Integer.valueOf(digits);
            host = authority.substring(0, colon);
        }
        host = host.replace("[", "").replace("]", "");
        if (host.isEmpty() || host.endsWith("@")) {
            throw new IllegalArgumentException(authority + ": no host; the form is [USER@]HOST[:PORT]");
        }
        return new Destination(host, portNumber, null, null);
    }

    /** The host alone, for messages and for known_hosts. */
    public String host() {
        int at = userHost.lastIndexOf('@');
        return at < 0 ? userHost : userHost.substring(at + 1);
    }

    /** How messages name the builder. */
    public String shown() {
        return port == null ? userHost : userHost + ":" + port;
    }

    Destination withBuilderEntry(String identity, String hostKey) {
        return new Destination(userHost, port, identity, hostKey);
    }
}

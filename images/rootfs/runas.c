/*
 * runas UID GID PATH ARGV0 [ARGS...]
 *
 * lohar runs as root and starts every command as the guest user through this helper: it drops to
 * UID/GID (supplementary groups: just GID) and execs PATH with ARGV0 and ARGS. posix_spawn cannot
 * change user, and a dynamically linked helper (setpriv) costs a dynamic-loader start per command,
 * which under TCG is tens of milliseconds; this one is static, so the extra exec is cheap.
 * Exit 126 when the user cannot be set, 127 when PATH cannot be executed, with the reason on stderr.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 5) {
        fputs("usage: runas UID GID PATH ARGV0 [ARGS...]\n", stderr);
        return 127;
    }
    uid_t uid = (uid_t) strtoul(argv[1], NULL, 10);
    gid_t gid = (gid_t) strtoul(argv[2], NULL, 10);
    if (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
        fprintf(stderr, "runas: cannot become %s:%s: %s\n", argv[1], argv[2], strerror(errno));
        return 126;
    }
    execv(argv[3], argv + 4);
    fprintf(stderr, "runas: exec %s: %s\n", argv[3], strerror(errno));
    return 127;
}

/*
 * bhatti-client: forwards one CLI call to the resident helper (docs/cli-helper.md).
 *
 *   bhatti-client SOCKET N FALLBACK_1 .. FALLBACK_N ARG...
 *
 * Sends the helper a hello (protocol version, working directory, which of fds 0-2 are terminals,
 * ARG..., the environment), copies the helper's stdout and stderr frames to fds 1 and 2 as they
 * come, sends stdin only once the helper asks for it, and exits with the call's exit code. When no
 * helper answers, or the helper answers "fall back" before any output, it execs
 * FALLBACK_1 .. FALLBACK_N ARG... (the JVM command line), so a call always runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

extern char **environ;

static char **fallback_argv;

static void fall_back(void) {
    execv(fallback_argv[0], fallback_argv);
    fprintf(stderr, "bhatti: cannot run %s: %s\n", fallback_argv[0], strerror(errno));
    _exit(127);
}

/* Writes all of buf; to the socket without SIGPIPE (a helper that went away is an error, not a signal). */
static int write_all(int fd, const void *buf, size_t len, int is_socket) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = is_socket ? send(fd, p, len, MSG_NOSIGNAL) : write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += n;
        len -= (size_t) n;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t len) {
    char *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (n == 0) return -1;
        p += n;
        len -= (size_t) n;
    }
    return 0;
}

static int send_frame(int fd, char type, const void *payload, uint32_t len) {
    unsigned char head[5] = {(unsigned char) type, len >> 24, len >> 16, len >> 8, len};
    if (write_all(fd, head, 5, 1) < 0) return -1;
    return len == 0 ? 0 : write_all(fd, payload, len, 1);
}

/* The hello: every field ended by a NUL. */
struct buf { char *data; size_t len, cap; };

static void put(struct buf *b, const char *s) {
    size_t n = strlen(s) + 1;
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2;
        b->data = realloc(b->data, b->cap);
        if (!b->data) { perror("bhatti"); exit(1); }
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: bhatti-client SOCKET N FALLBACK... ARG...\n");
        return 2;
    }
    int n = atoi(argv[2]);
    if (n < 1 || 3 + n > argc) {
        fprintf(stderr, "bhatti-client: bad fallback count\n");
        return 2;
    }
    char **args = argv + 3 + n;
    int nargs = argc - 3 - n;
    fallback_argv = calloc((size_t) (n + nargs + 1), sizeof(char *));
    for (int i = 0; i < n; i++) fallback_argv[i] = argv[3 + i];
    for (int i = 0; i < nargs; i++) fallback_argv[n + i] = args[i];

    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(argv[1]) >= sizeof(addr.sun_path)) fall_back();
    strcpy(addr.sun_path, argv[1]);
    int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0 || connect(sock, (struct sockaddr *) &addr, sizeof(addr)) < 0) fall_back();

    struct buf hello = {0};
    char num[32];
    char cwd[8192];
    put(&hello, "1");
    put(&hello, getcwd(cwd, sizeof(cwd)) ? cwd : "/");
    snprintf(num, sizeof(num), "%d", (isatty(0) ? 1 : 0) | (isatty(1) ? 2 : 0) | (isatty(2) ? 4 : 0));
    put(&hello, num);
    snprintf(num, sizeof(num), "%d", nargs);
    put(&hello, num);
    for (int i = 0; i < nargs; i++) put(&hello, args[i]);
    for (char **e = environ; *e; e++) put(&hello, *e);
    if (send_frame(sock, 'H', hello.data, (uint32_t) hello.len) < 0) fall_back();

    int output_seen = 0, want_stdin = 0, stdin_done = 0;
    static char data[65536];
    for (;;) {
        struct pollfd fds[2] = {{.fd = sock, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
        int nfds = want_stdin && !stdin_done ? 2 : 1;
        if (poll(fds, (nfds_t) nfds, -1) < 0) {
            if (errno == EINTR) continue;
            perror("bhatti: poll");
            return 1;
        }
        if (nfds == 2 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t r = read(0, data, sizeof(data));
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) {
                stdin_done = 1;
                r = 0;
            }
            if (send_frame(sock, 'I', data, (uint32_t) r) < 0) stdin_done = 1;
        }
        if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        unsigned char head[5];
        if (read_all(sock, head, 5) < 0) {
            if (!output_seen) fall_back();
            fprintf(stderr, "bhatti: the helper ended the call early\n");
            return 1;
        }
        uint32_t len = (uint32_t) head[1] << 24 | (uint32_t) head[2] << 16 | (uint32_t) head[3] << 8 | head[4];
        char *payload = len <= sizeof(data) ? data : malloc(len);
        if (!payload || read_all(sock, payload, len) < 0) {
            fprintf(stderr, "bhatti: the helper ended the call early\n");
            return 1;
        }
        switch (head[0]) {
            case 'O':
            case 'E':
                output_seen = 1;
                if (write_all(head[0] == 'O' ? 1 : 2, payload, len, 0) < 0) return 1;
                break;
            case 'S':
                want_stdin = 1;
                break;
            case 'X':
                if (len != 4) return 1;
                return (int) ((uint32_t) (unsigned char) payload[0] << 24 | (uint32_t) (unsigned char) payload[1] << 16
                        | (uint32_t) (unsigned char) payload[2] << 8 | (unsigned char) payload[3]);
            case 'F':
                if (!output_seen) {
                    close(sock);
                    fall_back();
                }
                return 1;
            default:
                break;
        }
        if (payload != data) free(payload);
    }
}

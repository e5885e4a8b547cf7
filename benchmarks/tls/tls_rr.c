/*
 * tls_rr: request/response load over TLS for benchmarks/tls/tls.sh (loopback only).
 *
 *   tls_rr -p PORT [-H 127.0.0.1] [-c 50] [-s 64] [-w 2] [-d 10] [--server-pid PID] [--label X]
 *   tls_rr -p PORT --probe [-t 60]      exit 0 once a TLS "ping\n" is answered "PING\n"
 *   --plain                             the same without TLS (to tell TLS's part from the client's and server's)
 *
 * The harness's line protocol (../shared/bench/README.md) over TLS: each of C connections is its own pthread
 * doing a blocking SSL_write of an S-byte lower-case line ending in '\n' and reading the whole reply, which must
 * be the same line upper-cased (closed loop, one request in flight per connection). Connections open and
 * handshake during the W-second warm-up; requests completed in the following D seconds are counted.
 * The client accepts any server certificate: it measures, it does not authenticate.
 *
 * Prints one line: RESULT label=X conns=C size=S duration=D requests=N rps=R p50_us p90_us p99_us max_us
 * errors=E stalled=K conn_min=A conn_max=B [server_cpu_pct=P] client_cpu_pct=Q
 * (conn_min/conn_max: requests of the least and the most served connection in the window, a fairness measure;
 * server_cpu_pct: CPU time of PID, all its threads, over the window, in % of one core; 200 = both cores.)
 *
 * Build: gcc -O2 -Wall -Wextra -pthread -o tls_rr tls_rr.c -lssl -lcrypto
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* log-linear latency histogram in ns: exact below 128, then 64 buckets per power of two (under 1.6% error) */
#define SUB_BITS 6
#define SUB (1 << SUB_BITS)
#define MAX_MSB 40 /* about 1100 s */
#define NBUCKETS (2 * SUB + (MAX_MSB - SUB_BITS) * SUB)

static int bucket_of(uint64_t v) {
    if (v < 2 * SUB) return (int)v;
    int msb = 63 - __builtin_clzll(v);
    if (msb > MAX_MSB) msb = MAX_MSB, v = (1ULL << (MAX_MSB + 1)) - 1;
    int shift = msb - SUB_BITS;
    return 2 * SUB + (msb - SUB_BITS - 1) * SUB + (int)((v >> shift) & (SUB - 1));
}

static uint64_t value_of(int b) { /* the middle of bucket b */
    if (b < 2 * SUB) return (uint64_t)b;
    int k = b - 2 * SUB, msb = k / SUB + SUB_BITS + 1, shift = msb - SUB_BITS;
    uint64_t low = (1ULL << msb) | ((uint64_t)(k % SUB) << shift);
    return low + (1ULL << shift) / 2;
}

struct opts {
    const char *host, *label;
    int port, conns, size, probe, plain;
    double warmup, duration, probe_timeout;
    long server_pid;
};

struct worker {
    pthread_t th;
    int id;
    uint64_t requests; /* completed inside the measured window */
    uint64_t errors;
    uint64_t hist[NBUCKETS];
};

static struct opts O = {"127.0.0.1", "tls", 0, 50, 64, 0, 0, 2.0, 10.0, 60.0, 0};
static SSL_CTX *CTX;
static uint64_t T_START, T_MEASURE, T_END; /* ns, CLOCK_MONOTONIC */
static atomic_int PRINTED_ERRORS;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void report_error(const char *what) {
    if (atomic_fetch_add(&PRINTED_ERRORS, 1) < 5) {
        unsigned long e = ERR_get_error();
        fprintf(stderr, "tls_rr: %s: %s%s%s\n", what, e ? ERR_reason_error_string(e) : "",
                e ? " / " : "", errno ? strerror(errno) : "");
    }
    ERR_clear_error();
}

/* One connection: TLS, or the bare socket with --plain (the same client without TLS, for comparison). */
struct session {
    int fd;
    SSL *ssl; /* NULL with --plain */
};

/* A connected (and, but for --plain, handshaken) session, or NULL. Socket timeouts bound every blocking call. */
static struct session *open_session(void) {
    struct addrinfo hints = {0}, *ai;
    char port[16];
    hints.ai_socktype = SOCK_STREAM;
    snprintf(port, sizeof port, "%d", O.port);
    if (getaddrinfo(O.host, port, &hints, &ai) != 0) return NULL;
    int fd = socket(ai->ai_family, SOCK_STREAM, 0);
    struct timeval tv = {5, 0};
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(ai);
    if (rc != 0) {
        close(fd);
        return NULL;
    }
    SSL *ssl = NULL;
    if (!O.plain) {
        ssl = SSL_new(CTX);
        SSL_set_fd(ssl, fd);
        SSL_set_tlsext_host_name(ssl, "localhost");
        if (SSL_connect(ssl) != 1) {
            SSL_free(ssl);
            close(fd);
            return NULL;
        }
    }
    struct session *s = malloc(sizeof *s);
    s->fd = fd, s->ssl = ssl;
    return s;
}

static void close_session(struct session *s) {
    if (s->ssl) {
        SSL_shutdown(s->ssl); /* sends close_notify; does not wait for the peer's */
        SSL_free(s->ssl);
    }
    close(s->fd);
    free(s);
}

static int session_write(struct session *s, const char *b, int n) {
    if (s->ssl) return SSL_write(s->ssl, b, n);
    for (int done = 0; done < n;) {
        ssize_t w = write(s->fd, b + done, (size_t)(n - done));
        if (w <= 0) return -1;
        done += (int)w;
    }
    return n;
}

static int session_read(struct session *s, char *b, int n) {
    return s->ssl ? SSL_read(s->ssl, b, n) : (int)read(s->fd, b, (size_t)n);
}

/* One request: write the line, read exactly as many bytes back, check them. 0 on success. */
static int exchange(struct session *sess, const char *req, const char *want, char *buf, int n) {
    if (session_write(sess, req, n) != n) return -1;
    for (int got = 0; got < n;) {
        int r = session_read(sess, buf + got, n - got);
        if (r <= 0) return -1;
        got += r;
    }
    return memcmp(buf, want, (size_t)n) == 0 ? 0 : -2;
}

static void make_line(char *req, char *want, int n, int id) {
    for (int i = 0; i < n - 1; i++) req[i] = (char)('a' + (i + id) % 26);
    req[n - 1] = '\n';
    for (int i = 0; i < n; i++) want[i] = (req[i] >= 'a' && req[i] <= 'z') ? (char)(req[i] - 32) : req[i];
}

static void *run_worker(void *arg) {
    struct worker *w = arg;
    char *req = malloc((size_t)O.size), *want = malloc((size_t)O.size), *buf = malloc((size_t)O.size);
    make_line(req, want, O.size, w->id);
    struct session *sess = NULL;
    for (;;) {
        uint64_t t0 = now_ns();
        if (t0 >= T_END) break;
        if (sess == NULL && (sess = open_session()) == NULL) {
            if (t0 >= T_MEASURE) w->errors++;
            report_error("connect/handshake");
            usleep(10000);
            continue;
        }
        int rc = exchange(sess, req, want, buf, O.size);
        uint64_t t1 = now_ns();
        if (rc != 0) {
            if (t0 >= T_MEASURE) w->errors++;
            report_error(rc == -2 ? "reply is not the request upper-cased" : "write/read");
            close_session(sess);
            sess = NULL;
            continue;
        }
        if (t0 >= T_MEASURE && t1 <= T_END) { /* only requests wholly inside the window */
            w->requests++;
            w->hist[bucket_of(t1 - t0)]++;
        }
    }
    if (sess) close_session(sess);
    free(req), free(want), free(buf);
    return NULL;
}

/* utime + stime of a process (all its threads), in clock ticks; -1 if unreadable */
static long long proc_cpu_ticks(long pid) {
    char path[64], line[4096];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(line, 1, sizeof line - 1, f);
    fclose(f);
    line[n] = 0;
    char *p = strrchr(line, ')'); /* the command name may hold spaces */
    if (!p) return -1;
    unsigned long long ut, st;
    /* after ')': state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2) return -1;
    return (long long)(ut + st);
}

static double self_cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void sleep_until(uint64_t t) {
    for (uint64_t n; (n = now_ns()) < t;) {
        uint64_t d = t - n;
        struct timespec ts = {(time_t)(d / 1000000000ULL), (long)(d % 1000000000ULL)};
        nanosleep(&ts, NULL);
    }
}

static int probe(void) {
    char buf[5];
    uint64_t deadline = now_ns() + (uint64_t)(O.probe_timeout * 1e9);
    T_END = UINT64_MAX;
    while (now_ns() < deadline) {
        struct session *sess = open_session();
        if (sess) {
            int rc = exchange(sess, "ping\n", "PING\n", buf, 5);
            close_session(sess);
            if (rc == 0) return 0;
        }
        ERR_clear_error();
        usleep(200000);
    }
    fprintf(stderr, "tls_rr: no TLS answer on %s:%d within %.0f s\n", O.host, O.port, O.probe_timeout);
    return 1;
}

static int loopback_only(const char *host) {
    struct addrinfo hints = {0}, *ai;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, NULL, &hints, &ai) != 0) return 0;
    int ok = 1;
    for (struct addrinfo *a = ai; a; a = a->ai_next) {
        if (a->ai_family == AF_INET) {
            uint32_t ip = ntohl(((struct sockaddr_in *)a->ai_addr)->sin_addr.s_addr);
            ok &= (ip >> 24) == 127;
        } else if (a->ai_family == AF_INET6) {
            ok &= IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)a->ai_addr)->sin6_addr);
        } else {
            ok = 0;
        }
    }
    freeaddrinfo(ai);
    return ok;
}

static void usage(void) {
    fprintf(stderr, "usage: tls_rr -p PORT [-H 127.0.0.1] [-c 50] [-s 64] [-w 2] [-d 10] [--server-pid PID]"
                    " [--label X] [--plain] | tls_rr -p PORT --probe [-t 60] [--plain]\n");
    exit(2);
}

static void parse(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--probe")) { O.probe = 1; continue; }
        if (!strcmp(a, "--plain")) { O.plain = 1; continue; }
        if (!v) usage();
        i++;
        if (!strcmp(a, "-p")) O.port = atoi(v);
        else if (!strcmp(a, "-H")) O.host = v;
        else if (!strcmp(a, "-c")) O.conns = atoi(v);
        else if (!strcmp(a, "-s")) O.size = atoi(v);
        else if (!strcmp(a, "-w")) O.warmup = atof(v);
        else if (!strcmp(a, "-d")) O.duration = atof(v);
        else if (!strcmp(a, "-t")) O.probe_timeout = atof(v);
        else if (!strcmp(a, "--server-pid")) O.server_pid = atol(v);
        else if (!strcmp(a, "--label")) O.label = v;
        else usage();
    }
    if (O.port <= 0 || O.conns < 1 || O.conns > 10000 || O.size < 2 || O.duration <= 0 || O.duration > 600
        || O.warmup < 0 || O.warmup > 60)
        usage();
    if (!loopback_only(O.host)) {
        fprintf(stderr, "tls_rr: %s is not a loopback address\n", O.host);
        exit(2);
    }
}

int main(int argc, char **argv) {
    parse(argc, argv);
    CTX = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(CTX, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_min_proto_version(CTX, TLS1_2_VERSION);
    if (O.probe) return probe();

    struct worker *ws = calloc((size_t)O.conns, sizeof *ws);
    T_START = now_ns();
    T_MEASURE = T_START + (uint64_t)(O.warmup * 1e9);
    T_END = T_MEASURE + (uint64_t)(O.duration * 1e9);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    for (int i = 0; i < O.conns; i++) {
        ws[i].id = i;
        if (pthread_create(&ws[i].th, &attr, run_worker, &ws[i]) != 0) {
            perror("pthread_create");
            return 1;
        }
    }
    sleep_until(T_MEASURE);
    long long srv0 = O.server_pid ? proc_cpu_ticks(O.server_pid) : -1;
    double self0 = self_cpu_s();
    sleep_until(T_END);
    long long srv1 = O.server_pid ? proc_cpu_ticks(O.server_pid) : -1;
    double self1 = self_cpu_s();
    for (int i = 0; i < O.conns; i++) pthread_join(ws[i].th, NULL);

    uint64_t requests = 0, errors = 0, stalled = 0, conn_min = UINT64_MAX, conn_max = 0;
    static uint64_t hist[NBUCKETS];
    for (int i = 0; i < O.conns; i++) {
        requests += ws[i].requests;
        errors += ws[i].errors;
        stalled += ws[i].requests == 0;
        if (ws[i].requests < conn_min) conn_min = ws[i].requests;
        if (ws[i].requests > conn_max) conn_max = ws[i].requests;
        for (int b = 0; b < NBUCKETS; b++) hist[b] += ws[i].hist[b];
    }
    double q[] = {0.50, 0.90, 0.99, 1.0};
    double lat_us[4] = {0, 0, 0, 0};
    for (int k = 0; k < 4 && requests; k++) {
        uint64_t want = (uint64_t)(q[k] * (double)requests + 0.5), seen = 0;
        if (want < 1) want = 1;
        for (int b = 0; b < NBUCKETS; b++) {
            seen += hist[b];
            if (seen >= want) { lat_us[k] = (double)value_of(b) / 1000.0; break; }
        }
    }
    printf("RESULT label=%s conns=%d size=%d duration=%.1f requests=%llu rps=%.0f p50_us=%.0f p90_us=%.0f "
           "p99_us=%.0f max_us=%.0f errors=%llu stalled=%llu conn_min=%llu conn_max=%llu",
           O.label, O.conns, O.size, O.duration, (unsigned long long)requests, (double)requests / O.duration,
           lat_us[0], lat_us[1], lat_us[2], lat_us[3], (unsigned long long)errors, (unsigned long long)stalled,
           (unsigned long long)conn_min, (unsigned long long)conn_max);
    if (srv0 >= 0 && srv1 >= 0)
        printf(" server_cpu_pct=%.0f", 100.0 * (double)(srv1 - srv0) / (double)sysconf(_SC_CLK_TCK) / O.duration);
    printf(" client_cpu_pct=%.0f\n", 100.0 * (self1 - self0) / O.duration);
    free(ws);
    SSL_CTX_free(CTX);
    return errors ? 3 : 0;
}

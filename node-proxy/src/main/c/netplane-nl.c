/*
 * netplane-nl: sends nftables netlink batches that node-proxy encodes, so that a small change needs no nft
 * process (which reads every chain of every table into its cache before it adds a rule).
 *
 * Protocol on stdin/stdout, one batch at a time: node-proxy writes a 4-byte length (host order) and that many
 * bytes: a whole batch (NFNL_MSG_BATCH_BEGIN ... NFNL_MSG_BATCH_END) whose messages carry NLM_F_ACK and
 * increasing sequence numbers. This program sends it, reads the kernel's answers up to the ack of the last
 * message, and writes two 4-byte integers: 0 or the first error (a positive errno), and the sequence number of
 * the message that failed. The kernel applies a batch whole or not at all. EOF on stdin ends the program.
 */
#include <errno.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_BATCH (4 << 20)

static int read_full(int fd, void *buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *) buf + got, n - got);
        if (r == 0) return 0;
        if (r < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        got += (size_t) r;
    }
    return 1;
}

static int write_full(int fd, const void *buf, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, (const char *) buf + done, n - done);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        done += (size_t) w;
    }
    return 0;
}

/* the first and last sequence numbers of the batch, and whether every message asks for an ack */
static int scan(const char *buf, uint32_t len, uint32_t *first, uint32_t *last) {
    uint32_t off = 0;
    int acked = 0;
    while (off + sizeof(struct nlmsghdr) <= len) {
        const struct nlmsghdr *h = (const struct nlmsghdr *) (buf + off);
        if (h->nlmsg_len < sizeof(struct nlmsghdr) || off + h->nlmsg_len > len) return -1;
        if (off == 0) *first = h->nlmsg_seq;
        if (h->nlmsg_flags & NLM_F_ACK) {
            *last = h->nlmsg_seq;
            acked = 1;
        }
        off += NLMSG_ALIGN(h->nlmsg_len);
    }
    return off == len && acked ? 0 : -1;
}

/* reads answers until the ack of seq `last`; returns 0 or the first error of this batch */
static int await_acks(int sock, uint32_t first, uint32_t last, int32_t *failed_seq) {
    static char buf[1 << 16];
    int first_error = 0;
    for (;;) {
        struct pollfd p = {.fd = sock, .events = POLLIN};
        /* after an error the kernel may stop acking: wait a little for the rest, no longer */
        int ready = poll(&p, 1, first_error ? 200 : 30000);
        if (ready == 0) return first_error ? first_error : ETIMEDOUT;
        if (ready < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        ssize_t n = recv(sock, buf, sizeof buf, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        for (struct nlmsghdr *h = (struct nlmsghdr *) buf; NLMSG_OK(h, (size_t) n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type != NLMSG_ERROR || h->nlmsg_seq < first || h->nlmsg_seq > last) continue;
            const struct nlmsgerr *e = NLMSG_DATA(h);
            if (e->error != 0 && first_error == 0) {
                first_error = -e->error;
                *failed_seq = (int32_t) h->nlmsg_seq;
            }
            if (h->nlmsg_seq == last) return first_error;
        }
    }
}

int main(void) {
    int sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
    if (sock < 0) {
        perror("netplane-nl: socket");
        return 2;
    }
    struct sockaddr_nl addr = {.nl_family = AF_NETLINK};
    if (bind(sock, (struct sockaddr *) &addr, sizeof addr) < 0) {
        perror("netplane-nl: bind");
        return 2;
    }
    int size = MAX_BATCH;
    setsockopt(sock, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size);
    setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
    /* acks carry only the request's header, not the whole request: more of them fit the receive buffer */
    int one = 1;
    setsockopt(sock, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
    char *batch = malloc(MAX_BATCH);
    if (batch == NULL) return 2;
    for (;;) {
        uint32_t len;
        int r = read_full(0, &len, sizeof len);
        if (r <= 0) return r == 0 ? 0 : 2;
        if (len > MAX_BATCH || read_full(0, batch, len) <= 0) return 2;
        int32_t result[2] = {0, -1};
        uint32_t first = 0, last = 0;
        if (scan(batch, len, &first, &last) < 0) {
            result[0] = EINVAL;
        } else {
            struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
            if (sendto(sock, batch, len, 0, (struct sockaddr *) &kernel, sizeof kernel) < 0) {
                result[0] = errno;
            } else {
                result[0] = await_acks(sock, first, last, &result[1]);
            }
        }
        if (write_full(1, result, sizeof result) < 0) return 2;
    }
}

/*
 * getent hosts NAME...: the one getent database upstream's DNS e2e tests query inside agnhost, whose upstream base
 * is Alpine. Built statically against musl (Debian's musl-tools) so those probes exercise musl's resolver
 * (its search-list and ndots handling), as they do upstream, and not glibc's. Prints "ADDRESS NAME" per address;
 * exit 2 when a name does not resolve, as getent does.
 */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

static int hosts(const char *name) {
    struct addrinfo hints, *res, *ai;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_CANONNAME;
    if (getaddrinfo(name, NULL, &hints, &res) != 0) return 2;
    for (ai = res; ai; ai = ai->ai_next) {
        char addr[INET6_ADDRSTRLEN];
        const void *src = ai->ai_family == AF_INET6
            ? (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr
            : (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr;
        if (inet_ntop(ai->ai_family, src, addr, sizeof addr))
            printf("%-15s %s\n", addr, res->ai_canonname ? res->ai_canonname : name);
    }
    freeaddrinfo(res);
    return 0;
}

int main(int argc, char **argv) {
    int i, rc = 0;
    if (argc < 3 || strcmp(argv[1], "hosts") != 0) {
        fprintf(stderr, "usage: getent hosts NAME...\n");
        return 1;
    }
    for (i = 2; i < argc; i++)
        if (hosts(argv[i]) != 0) rc = 2;
    return rc;
}

# Test backend (IPv4 and IPv6): answers every TCP connection and UDP datagram on the given ports with "<name> <peer-ip>".
import socket, sys, threading

name = sys.argv[1]
ports = [int(p) for p in sys.argv[2:]]

def peer(addr):
    # dual-stack sockets report IPv4 peers as ::ffff:a.b.c.d
    return addr[0][7:] if addr[0].startswith("::ffff:") else addr[0]

def sock(kind):
    s = socket.socket(socket.AF_INET6, kind)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return s

def tcp(port):
    s = sock(socket.SOCK_STREAM)
    s.bind(("::", port))
    s.listen(128)
    while True:
        c, addr = s.accept()
        try:
            c.sendall(("%s %s\n" % (name, peer(addr))).encode())
        finally:
            c.close()

def udp(port):
    s = sock(socket.SOCK_DGRAM)
    s.bind(("::", port))
    while True:
        data, addr = s.recvfrom(2048)
        s.sendto(("%s %s\n" % (name, peer(addr))).encode(), addr)

for p in ports:
    threading.Thread(target=tcp, args=(p,), daemon=True).start()
    threading.Thread(target=udp, args=(p,), daemon=True).start()
print("ready", flush=True)
threading.Event().wait()

# Test backend: answers every TCP connection and UDP datagram on the given ports with "<name> <peer-ip>".
import socket, sys, threading

name = sys.argv[1]
ports = [int(p) for p in sys.argv[2:]]

def tcp(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(128)
    while True:
        c, addr = s.accept()
        try:
            c.sendall(("%s %s\n" % (name, addr[0])).encode())
        finally:
            c.close()

def udp(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", port))
    while True:
        data, addr = s.recvfrom(2048)
        s.sendto(("%s %s\n" % (name, addr[0])).encode(), addr)

for p in ports:
    threading.Thread(target=tcp, args=(p,), daemon=True).start()
    threading.Thread(target=udp, args=(p,), daemon=True).start()
print("ready", flush=True)
threading.Event().wait()

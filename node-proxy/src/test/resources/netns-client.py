# Test client (UDP from a fixed source port when SPORT is given): N attempts to HOST:PORT over tcp or udp; prints one line per attempt: the answer, REFUSED or TIMEOUT.
import socket, sys

proto, host, port, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 1.0
sport = int(sys.argv[6]) if len(sys.argv) > 6 else 0
for _ in range(count):
    try:
        if proto == "tcp":
            s = socket.create_connection((host, port), timeout=timeout)
            data = s.recv(200)
        else:
            family = socket.AF_INET6 if ":" in host else socket.AF_INET
            s = socket.socket(family, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", sport))
            s.settimeout(timeout)
            s.connect((host, port))
            s.send(b"hello")
            data = s.recv(200)
        s.close()
        print(data.decode().strip() or "EMPTY")
    except ConnectionRefusedError:
        print("REFUSED")
    except socket.timeout:
        print("TIMEOUT")
    except OSError as e:
        print("ERROR %s" % e.errno)
    sys.stdout.flush()

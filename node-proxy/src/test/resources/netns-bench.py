# Benchmark client: sequential TCP connections (connect, read the answer, close) to HOST:PORT for SECONDS;
# prints "<connections> <mean latency in microseconds> <p99 latency in microseconds>".
import socket, sys, time

host, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
lat = []
end = time.perf_counter() + seconds
while time.perf_counter() < end:
    t0 = time.perf_counter()
    s = socket.create_connection((host, port), timeout=2)
    s.recv(100)
    s.close()
    lat.append(time.perf_counter() - t0)
lat.sort()
print("%d %.1f %.1f" % (len(lat), 1e6 * sum(lat) / len(lat), 1e6 * lat[int(len(lat) * 0.99) - 1]))

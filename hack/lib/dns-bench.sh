# shellcheck shell=bash
# Reading dnsperf's output and a JVM's heap, for the DNS benchmarks (bench/dns-service.sh, bench/dns-kube.sh).

# dnsperf_qps: dnsperf output on stdin → its queries per second
dnsperf_qps() { awk '/Queries per second/ {print $4}'; }

# dnsperf_lost: dnsperf output on stdin → "N (P%)" queries lost
dnsperf_lost() { awk '/Queries lost/ {print $3, $4}'; }

# dnsperf_rcodes: dnsperf output on stdin → its response-code summary ("NOERROR 123 (100.00%)")
dnsperf_rcodes() { awk '/Response codes/' | tr -s ' ' | sed 's/^ *Response codes: //'; }

# dnsperf_response_size: dnsperf output on stdin → the average response size in bytes
dnsperf_response_size() { awk '/Average packet size/ {print $NF}'; }

# dnsperf_pcts [FORMAT]: verbose (-v) dnsperf output on stdin → p50 p90 p99 p99.9 in ms. FORMAT "words" (default)
# prints "p50 x  p90 y  p99 z  p99.9 w ms (n samples)"; "bare" prints "x y z w n"
dnsperf_pcts() {
  awk '/^> / {print $NF}' | sort -g | awk -v f="${1:-words}" '{a[NR]=$1} END {
    if (NR == 0) { print (f == "bare" ? "nan nan nan nan 0" : "n/a"); exit }
    p50 = a[int(NR*.5)+1]*1000; p90 = a[int(NR*.9)+1]*1000; p99 = a[int(NR*.99)+1]*1000; p999 = a[int(NR*.999)+1]*1000
    if (f == "bare") printf "%.3f %.3f %.3f %.3f %d\n", p50, p90, p99, p999, NR
    else printf "p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f ms (%d samples)", p50, p90, p99, p999, NR }'
}

# jvm_heap_kb PID: the JVM's used heap in KiB right after a full GC (jcmd)
jvm_heap_kb() {
  timeout 60 jcmd "$1" GC.run >/dev/null
  sleep 1
  # the sum over the heap's generations (G1 prints one line, SerialGC one per generation), Metaspace excluded
  timeout 60 jcmd "$1" GC.heap_info | awk '/Metaspace/ {exit} /total/ && /used/ {for(i=1;i<=NF;i++) if($i=="used"){v=$(i+1); gsub(/K,?/,"",v); s+=v}} END {print s+0}'
}

# rss_kb PID: resident memory in KiB
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

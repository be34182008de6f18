package io.netplane.testing.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * HTTP to agnhost {@code netexec} Pods, as the upstream e2e tests use them: {@link #dial} makes a client Pod resolve
 * and connect to a target (its DNS, its node's Service rules, the policies on the way), {@link #get} asks a server
 * directly.
 */
public final class Netexec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private Netexec() {
    }

    /** What a client Pod's {@code /dial} returned: one entry per try that answered, and the errors of the rest. */
    public record Dial(List<String> responses, List<String> errors) {
        public boolean answered() {
            return !responses.isEmpty();
        }
    }

    /**
     * Asks the netexec Pod at {@code clientIp} (its port 8080) to send {@code request} (e.g. {@code hostname},
     * {@code clientip}) {@code tries} times to {@code host:port} over {@code protocol} ({@code http} or {@code udp}).
     */
    public static Dial dial(String clientIp, String request, String protocol, String host, int port, int tries) {
        return dial(clientIp, request, protocol, host, port, tries, Duration.ofSeconds(5L + 2L * tries));
    }

    /** The same, waiting up to {@code timeout} for the client Pod's answer (a Pod on a loaded node may be slow). */
    public static Dial dial(String clientIp, String request, String protocol, String host, int port, int tries,
            Duration timeout) {
        String query = "request=" + enc(request) + "&protocol=" + protocol + "&host=" + enc(host) + "&port=" + port
                + "&tries=" + tries;
        String body = get(clientIp, 8080, "/dial?" + query, timeout)
                .orElse("{\"errors\":[\"no answer from the client Pod " + clientIp + "\"]}");
        try {
            JsonNode json = JSON.readTree(body);
            return new Dial(strings(json.get("responses")), strings(json.get("errors")));
        } catch (IOException e) {
            return new Dial(List.of(), List.of("not JSON: " + body));
        }
    }

    /** {@code GET http://ip:port/path}: the body of a 200 answer, empty on any other answer or none in time. */
    public static Optional<String> get(String ip, int port, String path, Duration timeout) {
        String authority = ip.contains(":") ? "[" + ip + "]" : ip;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + authority + ":" + port + path)).timeout(timeout).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return response.statusCode() == 200 ? Optional.of(response.body().trim()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * The same with a {@code Host} header (an Ingress rule's host), over a plain socket: the JDK's HTTP client does
     * not let a request set {@code Host}.
     */
    public static Optional<String> get(String ip, int port, String path, String hostHeader, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ip, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: " + hostHeader + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int body = response.indexOf("\r\n\r\n");
            return response.startsWith("HTTP/1.") && response.split(" ", 3)[1].equals("200") && body >= 0
                    ? Optional.of(response.substring(body + 4).trim())
                    : Optional.empty();
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}

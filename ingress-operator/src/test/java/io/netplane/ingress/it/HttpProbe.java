package io.netplane.ingress.it;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends one HTTP/1.1 request with a chosen Host to the gateway and returns status line and body. */
final class HttpProbe {
    private HttpProbe() {
    }

    record Reply(int status, String body) {
    }

    static Reply get(int port, String host, String path) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(buf);
            String raw = buf.toString(StandardCharsets.ISO_8859_1);
            int end = raw.indexOf("\r\n\r\n");
            String head = raw.substring(0, end);
            String body = raw.substring(end + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                StringBuilder sb = new StringBuilder();
                int pos = 0;
                while (true) {
                    int lineEnd = body.indexOf("\r\n", pos);
                    int size = Integer.parseInt(body.substring(pos, lineEnd).trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    sb.append(body, lineEnd + 2, lineEnd + 2 + size);
                    pos = lineEnd + 2 + size + 2;
                }
                body = sb.toString();
            }
            return new Reply(Integer.parseInt(head.split(" ")[1]), body);
        } catch (Exception e) {
            return new Reply(-1, e.toString());
        }
    }
}

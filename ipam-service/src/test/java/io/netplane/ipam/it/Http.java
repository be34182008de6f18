package io.netplane.ipam.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A tiny JSON HTTP client for the ITs. */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Http() {
    }

    record Reply(int status, String body) {
    }

    static Reply get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET().build());
    }

    static Reply post(URI uri, String json) {
        return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static Reply delete(URI uri) {
        return send(HttpRequest.newBuilder(uri).DELETE().build());
    }

    private static Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

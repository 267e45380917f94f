package dev.distillery.demo.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The few JSON calls the launcher makes to the services (API.md), over java.net.http. */
public final class HttpJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    /** A non-2xx answer. */
    public static final class HttpStatusException extends IOException {
        public final int status;

        public HttpStatusException(int status, String body) {
            super("HTTP " + status + ": " + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
            this.status = status;
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public JsonNode get(String url, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET()
                .header("Accept", "application/json").build();
        return parse(client.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** Status and body of a GET; status -1 when nothing answered. */
    record Answer(int status, String body) {
    }

    Answer probe(String url, Duration timeout) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(-1, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, "");
        }
    }

    public int status(String url, Duration timeout) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public JsonNode post(String url, Object body, Duration timeout) throws IOException, InterruptedException {
        return parse(client.send(postRequest(url, body, timeout), HttpResponse.BodyHandlers.ofString()));
    }

    public CompletableFuture<JsonNode> postAsync(String url, Object body, Duration timeout) {
        try {
            return client.sendAsync(postRequest(url, body, timeout), HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> {
                        try {
                            return parse(response);
                        } catch (IOException e) {
                            throw new java.util.concurrent.CompletionException(e);
                        }
                    });
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static HttpRequest postRequest(String url, Object body, Duration timeout) throws IOException {
        byte[] json = body == null ? new byte[0] : MAPPER.writeValueAsBytes(body);
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
    }

    private static JsonNode parse(HttpResponse<String> response) throws IOException {
        if (response.statusCode() / 100 != 2) {
            throw new HttpStatusException(response.statusCode(), response.body());
        }
        String body = response.body();
        return body == null || body.isBlank() ? MAPPER.nullNode() : MAPPER.readTree(body);
    }
}

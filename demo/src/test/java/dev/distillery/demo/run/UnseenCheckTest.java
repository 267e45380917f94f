package dev.distillery.demo.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.distillery.demo.process.HttpJson;

/** The held-back split, and the comparison over real HTTP against small stand-ins for teacher and student. */
class UnseenCheckTest {

    @Test
    void holdsBackEveryTwentiethQueryAndStreamsTheRest() {
        List<String> queries = IntStream.range(0, 100).mapToObj(i -> "q" + i).toList();
        UnseenCheck.Split split = UnseenCheck.split(queries);
        assertEquals(5, split.unseen().size());
        assertEquals(95, split.streamed().size());
        assertEquals(List.of("q19", "q39", "q59", "q79", "q99"), split.unseen());
        assertTrue(split.streamed().stream().noneMatch(split.unseen()::contains));
    }

    @Test
    void comparesTheTeachersLabelWithTheStudentsAndSkipsRejectedQueries() throws Exception {
        // Teacher: "en" for every text but "bad", which it rejects (502 like teacher-failed). Student: "en" for texts
        // starting with "a", else "fr".
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<String> seen = new ArrayList<>();
        server.createContext("/teacher/v1/label", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String text = HttpJson.mapper().readTree(body).get("text").asText();
            seen.add(text);
            byte[] answer = (text.equals("bad") ? "{\"status\":502,\"error\":\"teacher-failed\",\"message\":\"x\"}"
                    : "{\"label\":\"en\",\"response\":\"Final Answer: en\",\"latencyMs\":1}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(text.equals("bad") ? 502 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.createContext("/student/v1/classify", exchange -> {
            String text = HttpJson.mapper().readTree(exchange.getRequestBody().readAllBytes()).get("text").asText();
            byte[] answer = HttpJson.mapper().writeValueAsBytes(Map.of("label", text.startsWith("a") ? "en" : "fr"));
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            UnseenCheck.Result r = UnseenCheck.measure(new HttpJson(), base + "/teacher", base + "/student",
                    List.of("apple", "avocado", "banana", "bad"));
            assertEquals(3, r.compared(), "the rejected query has no label to compare");
            assertEquals(2.0 / 3, r.agreement(), 1e-9);
            assertEquals(List.of("apple", "avocado", "banana", "bad"), seen);
            assertTrue(Double.isNaN(UnseenCheck.measure(new HttpJson(), base + "/teacher", base + "/student",
                    List.of()).agreement()));
        } finally {
            server.stop(0);
        }
    }
}

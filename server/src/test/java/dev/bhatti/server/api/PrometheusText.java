package dev.bhatti.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Parses the Prometheus text format with Prometheus' own parser (python3-prometheus-client's
 * {@code text_string_to_metric_families}, installed by scripts/setup): what a scraper reads, not
 * what a regular expression of ours would accept. A text it refuses fails the test.
 */
final class PrometheusText {
    private static final String PARSER = """
            import sys, json
            from prometheus_client.parser import text_string_to_metric_families
            out = []
            for f in text_string_to_metric_families(sys.stdin.read()):
                out.append({"name": f.name, "type": f.type, "help": f.documentation,
                            "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]})
            print(json.dumps(out))
            """;

    record Sample(String name, Map<String, String> labels, double value) {}

    record Family(String name, String type, String help, List<Sample> samples) {}

    private final Map<String, Family> families;

    private PrometheusText(Map<String, Family> families) {
        this.families = families;
    }

    static PrometheusText parse(String text) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", PARSER).redirectErrorStream(false).start();
        try (var in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("Prometheus' parser refused the metrics: " + err + "\n" + text);
        }
        Map<String, Family> families = new LinkedHashMap<>();
        for (JsonNode f : new ObjectMapper().readTree(out)) {
            List<Sample> samples = new ArrayList<>();
            for (JsonNode s : f.get("samples")) {
                Map<String, String> labels = new LinkedHashMap<>();
                s.get("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
                samples.add(new Sample(s.get("name").asText(), labels, s.get("value").asDouble()));
            }
            families.put(f.get("name").asText(), new Family(f.get("name").asText(), f.get("type").asText(),
                    f.get("help").asText(), samples));
        }
        return new PrometheusText(families);
    }

    Map<String, Family> families() {
        return families;
    }

    /** The value of sample {@code name} whose labels include {@code labels} (0 when there is none). */
    double value(String name, Map<String, String> labels) {
        return families.values().stream().flatMap(f -> f.samples().stream())
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    /** Whether a sample {@code name} with these labels exists. */
    boolean has(String name, Map<String, String> labels) {
        return families.values().stream().flatMap(f -> f.samples().stream())
                .anyMatch(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()));
    }
}

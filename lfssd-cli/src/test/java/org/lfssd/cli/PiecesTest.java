package org.lfssd.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.lfssd.data.Dataset;
import org.lfssd.tensor.Tensor;

/** The tool's parts on their own: progress lines, preprocessing, JSON, SVG. */
class PiecesTest {
    @Test
    void progressLinesComeEveryIntervalWithRateAndEta() {
        StringWriter sw = new StringWriter();
        AtomicLong now = new AtomicLong();
        ConsoleProgress p = new ConsoleProgress(new PrintWriter(sw), false, 5_000_000_000L, now::get);
        p.onStart("importance", 10);
        now.set(2_000_000_000L);
        p.onProgress("importance", 1, 10, 64);
        assertEquals("", sw.toString(), "nothing before the first interval");
        now.set(5_000_000_000L);
        p.onProgress("importance", 4, 10, 256);
        now.set(6_000_000_000L);
        p.onProgress("importance", 5, 10, 320);
        p.onFinish("importance", 10, 640, 10_000_000_000L);
        assertEquals("importance [=========>              ]  40% 4/10 batches, 51 images/s, ETA 8s\n"
                + "importance: done, 10 batches (640 images) in 10s, 64 images/s\n", sw.toString());
    }

    @Test
    void preprocessingReplicatesPadsNormalisesAndResizes() {
        Dataset raw = new Dataset(Tensor.fromArray(new float[] {0.5f, 1f, 0f, 0.25f}, 1, 1, 2, 2), new int[] {7});
        Preprocessing p = new Preprocessing(1, 0, 0, new float[] {0.25f}, new float[] {0.5f}).with(3, 1, null, null, null);
        assertEquals(3, p.channels());
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, p.mean(), "a single mean is replicated with the channels");
        Tensor x = p.apply(raw, "test").images();
        assertArrayEquals(new int[] {1, 3, 4, 4}, x.shape());
        float z = -0.5f; // a padded zero, normalised
        float[] plane = {z, z, z, z, z, 0.5f, 1.5f, z, z, -0.5f, 0f, z, z, z, z, z};
        float[] all = x.toArray();
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(plane, java.util.Arrays.copyOfRange(all, c * 16, c * 16 + 16));
        }
        assertEquals("{\"channels\":3,\"pad\":1,\"resize\":0,\"mean\":[0.25,0.25,0.25],\"std\":[0.5,0.5,0.5],"
                + "\"order\":\"channels,pad,normalize,resize\"}", p.canonical());
        Preprocessing resized = p.with(null, null, 8, null, null);
        assertArrayEquals(new int[] {1, 3, 8, 8}, resized.apply(raw, "test").images().shape());
        InputRejectedException e = assertThrows(InputRejectedException.class,
                () -> new Preprocessing(3, 0, 0, new float[] {1, 2}, new float[] {1}));
        assertTrue(e.getMessage().contains("2 mean values for 3 channels"), e.getMessage());
        Dataset colour = new Dataset(Tensor.fromArray(new float[] {0.1f, 0.2f, 0.3f}, 1, 3, 1, 1), new int[] {0});
        assertThrows(InputRejectedException.class, () -> new Preprocessing(1, 0, 0, new float[] {0}, new float[] {1})
                .apply(colour, "img"));
    }

    @Test
    void jsonRoundTripsTheValueTree() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("a", 1);
        m.put("b", List.of(1.5, "x", true));
        m.put("nan", Double.NaN);
        m.put("floats", new float[] {0.25f});
        Object back = Json.read(Json.write(m), "test");
        assertEquals(Map.of("a", 1L, "b", List.of(1.5, "x", true), "floats", List.of(0.25)),
                withoutNull((Map<String, Object>) back));
        InputRejectedException e = assertThrows(InputRejectedException.class, () -> Json.read("{\"a\": }", "cfg.json"));
        assertTrue(e.getMessage().startsWith("cfg.json: invalid JSON at line 1"), e.getMessage());
    }

    private static Map<String, Object> withoutNull(Map<String, Object> m) {
        assertTrue(m.containsKey("nan") && m.get("nan") == null, "NaN is written as null");
        Map<String, Object> out = new java.util.HashMap<>(m);
        out.remove("nan");
        return out;
    }

    @Test
    void svgChartsAreWellFormedXml() throws Exception {
        String bars = Svg.groupedBars("acc <per> class", List.of("0 T-shirt/top", "1 Trouser"),
                List.of(new Svg.Series("before", new double[] {0.9, 0.8}), new Svg.Series("after", new double[] {0.9, Double.NaN})),
                1.0, "accuracy");
        String lines = Svg.lines("sweep", new double[] {1, 10, 100}, List.of(new Svg.Series("retain", new double[] {0.9, 0.8, 0.7})),
                1.0, "alpha", "fraction", true);
        String hist = Svg.histogram("h", new long[] {1, 10, 100}, -1, 2, 1, "alpha = 10", "log10");
        var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        for (String svg : List.of(bars, lines, hist)) {
            var doc = factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(svg.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
            assertEquals("svg", doc.getDocumentElement().getTagName());
        }
        assertEquals(3, bars.split("</title></rect>", -1).length - 1, "three bars: the NaN is left out");
        assertTrue(bars.contains("acc &lt;per&gt; class"));
        assertTrue(lines.contains("alpha (log scale)") && lines.contains("<polyline"));
        assertTrue(hist.contains("stroke-dasharray") && hist.contains("alpha = 10"));
    }
}

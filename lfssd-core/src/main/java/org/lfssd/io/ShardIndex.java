package org.lfssd.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The index of a sharded checkpoint ({@code model.safetensors.index.json}): a JSON object whose
 * {@code "weight_map"} maps each tensor name to the shard file holding it, relative to the index's
 * directory. Other top-level fields (e.g. {@code "metadata"}) are ignored.
 */
final class ShardIndex {
    private static final JsonFactory JSON = new JsonFactory();

    private ShardIndex() {}

    /** Tensor name to resolved shard path, in the index's order. */
    static Map<String, Path> read(Path indexJson) throws IOException {
        Path dir = indexJson.toAbsolutePath().getParent();
        Map<String, Path> weightMap = null;
        try (JsonParser p = JSON.createParser(Files.readAllBytes(indexJson))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new SafeTensorsException(indexJson, "shard index is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                if ("weight_map".equals(key)) {
                    if (weightMap != null) {
                        throw new SafeTensorsException(indexJson, "duplicate 'weight_map'");
                    }
                    weightMap = parseWeightMap(indexJson, dir, p);
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new SafeTensorsException(indexJson, "unexpected content after the index's JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new SafeTensorsException(indexJson, null, "shard index is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (weightMap == null) {
            throw new SafeTensorsException(indexJson, "shard index has no 'weight_map'");
        }
        return weightMap;
    }

    private static Map<String, Path> parseWeightMap(Path indexJson, Path dir, JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new SafeTensorsException(indexJson, "'weight_map' must be an object of tensor name -> shard file");
        }
        Map<String, Path> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String tensor = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new SafeTensorsException(indexJson, tensor, "shard must be a file name string, found " + p.currentToken());
            }
            String shard = p.getText();
            if (shard.isEmpty()) {
                // "" would resolve to the index's folder itself.
                throw new SafeTensorsException(indexJson, tensor, "empty shard file name");
            }
            Path resolved;
            try {
                resolved = dir.resolve(shard).normalize();
            } catch (InvalidPathException e) {
                throw new SafeTensorsException(indexJson, tensor, "invalid shard file name '" + shard + "'", e);
            }
            // Shards live next to the index; a name reaching elsewhere is a corrupt or hostile index.
            if (!resolved.startsWith(dir.normalize()) || resolved.equals(dir.normalize())) {
                throw new SafeTensorsException(indexJson, tensor, "shard '" + shard + "' lies outside the index's directory");
            }
            requireInside(indexJson, tensor, shard, dir, resolved);
            if (map.put(tensor, resolved) != null) {
                throw new SafeTensorsException(indexJson, tensor, "listed twice in 'weight_map'");
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /**
     * The shard must be a regular file whose real location (symbolic links followed) is inside the index's
     * real folder: a link inside the folder pointing elsewhere would otherwise read any file on the machine.
     */
    private static void requireInside(Path indexJson, String tensor, String shard, Path dir, Path resolved)
            throws IOException {
        if (!Files.exists(resolved)) {
            throw new SafeTensorsException(indexJson, tensor, "shard '" + shard + "' does not exist (" + resolved + ")");
        }
        if (!Files.isRegularFile(resolved)) {
            throw new SafeTensorsException(indexJson, tensor, "shard '" + shard + "' is not a regular file");
        }
        Path real = resolved.toRealPath();
        if (!real.startsWith(dir.toRealPath())) {
            throw new SafeTensorsException(indexJson, tensor, "shard '" + shard + "' is a link to " + real
                    + ", outside the index's directory");
        }
    }
}

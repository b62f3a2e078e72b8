package dev.sit.plugins.loggers;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON as Python's json module and W&B write it: non-finite numbers are the bare tokens
 * {@code NaN}, {@code Infinity} and {@code -Infinity} (never the strings "NaN"), and are read back.
 */
public final class ExtendedJson {

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private ExtendedJson() {
    }
}

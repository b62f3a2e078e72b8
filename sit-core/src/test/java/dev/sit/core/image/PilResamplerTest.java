package dev.sit.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Pillow's resize and ADM's center crop against images Pillow 9.4 produced (golden/pil-resample). */
class PilResamplerTest {

    private static final String DIR = "/golden/pil-resample/";

    static Stream<JsonNode> cases() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(PilResamplerTest.class.getResourceAsStream(DIR + "manifest.json"));
        List<JsonNode> out = new ArrayList<>();
        manifest.get("cases").forEach(out::add);
        return out.stream();
    }

    static BufferedImage png(String name) throws IOException {
        try (InputStream in = PilResamplerTest.class.getResourceAsStream(DIR + name)) {
            return ImageIO.read(in);
        }
    }

    static Uint8Image load(String name, String mode) throws IOException {
        BufferedImage image = png(name);
        return mode.equals("L") ? ImageDecoder.toGray(image) : ImageDecoder.toRgb(image);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPillowBitForBit(JsonNode c) throws IOException {
        String mode = c.get("mode").asText();
        Uint8Image in = load(c.get("input").asText(), mode);
        Uint8Image expected = load(c.get("expected").asText(), mode);
        Uint8Image actual = switch (c.get("op").asText()) {
            case "resize" -> PilResampler.resize(in, c.get("width").asInt(), c.get("height").asInt(),
                    PilResampler.Filter.valueOf(c.get("filter").asText().toUpperCase()));
            case "center_crop" -> AdmCenterCrop.apply(in, c.get("image_size").asInt());
            default -> throw new IllegalArgumentException(c.toString());
        };
        assertThat(actual.width()).isEqualTo(expected.width());
        assertThat(actual.height()).isEqualTo(expected.height());
        assertThat(actual.pixels()).as(c.get("name").asText()).isEqualTo(expected.pixels());
    }

    @Test
    void javaJpegDecodingStaysWithinAFewLevelsOfPillows() throws Exception {
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile("decode", ".jpg");
        try (InputStream in = getClass().getResourceAsStream(DIR + "decode-in.jpg")) {
            java.nio.file.Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Uint8Image decoded = ImageDecoder.readRgb(tmp);
        Uint8Image pillow = ImageDecoder.toRgb(png("decode-pillow.png"));
        int maxDiff = 0;
        long sum = 0;
        for (int i = 0; i < decoded.pixels().length; i++) {
            int d = Math.abs((decoded.pixels()[i] & 0xFF) - (pillow.pixels()[i] & 0xFF));
            maxDiff = Math.max(maxDiff, d);
            sum += d;
        }
        System.out.printf("JPEG decode vs Pillow: max |diff| %d, mean %.4f%n", maxDiff, sum / (double) decoded.pixels().length);
        assertThat(maxDiff).isLessThanOrEqualTo(4);
        java.nio.file.Files.deleteIfExists(tmp);
    }
}

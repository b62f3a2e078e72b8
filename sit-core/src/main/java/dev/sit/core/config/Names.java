package dev.sit.core.config;

import java.util.Locale;

/** YAML keys are snake_case versions of record component names. */
public final class Names {

    private Names() {
    }

    /** {@code sigmaMin} to {@code sigma_min}. */
    public static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A constant name as written in YAML: {@code FIRST3} to {@code first3}, {@code ODE} stays readable. */
    public static String enumValue(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

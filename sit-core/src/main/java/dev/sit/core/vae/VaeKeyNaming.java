package dev.sit.core.vae;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the parameter names of the VAE's checkpoint formats to the internal naming, which is the CompVis
 * naming ({@code encoder.down.0.block.0.norm1.weight}, {@code decoder.up.3.upsample.conv.weight},
 * {@code encoder.mid.attn_1.q.weight}, ...).
 *
 * <p>Accepted: CompVis/LDM names; diffusers names ({@code down_blocks/up_blocks/mid_block/resnets},
 * {@code conv_shortcut}, {@code conv_norm_out}, attention {@code group_norm/to_q/to_k/to_v/to_out.0}) and
 * the pre-0.14 diffusers attention names ({@code query/key/value/proj_attn}). diffusers numbers
 * {@code up_blocks} in execution order, CompVis numbers {@code up} by resolution level:
 * {@code up_blocks.k = up.(levels-1-k)}.
 */
final class VaeKeyNaming {

    private static final Pattern ENC_RESNET = Pattern.compile("^encoder\\.down_blocks\\.(\\d+)\\.resnets\\.(\\d+)\\.(.+)$");
    private static final Pattern ENC_DOWN = Pattern.compile("^encoder\\.down_blocks\\.(\\d+)\\.downsamplers\\.0\\.(.+)$");
    private static final Pattern DEC_RESNET = Pattern.compile("^decoder\\.up_blocks\\.(\\d+)\\.resnets\\.(\\d+)\\.(.+)$");
    private static final Pattern DEC_UP = Pattern.compile("^decoder\\.up_blocks\\.(\\d+)\\.upsamplers\\.0\\.(.+)$");
    private static final Pattern MID_RESNET = Pattern.compile("^(encoder|decoder)\\.mid_block\\.resnets\\.([01])\\.(.+)$");
    private static final Pattern MID_ATTN = Pattern.compile("^(encoder|decoder)\\.mid_block\\.attentions\\.0\\.(.+)$");
    private static final Pattern NORM_OUT = Pattern.compile("^(encoder|decoder)\\.conv_norm_out\\.(.+)$");

    private VaeKeyNaming() {
    }

    /** The internal (CompVis) name of {@code key}; keys already in CompVis naming are returned unchanged. */
    static String toInternal(String key, int levels) {
        Matcher m;
        if ((m = ENC_RESNET.matcher(key)).matches()) {
            return "encoder.down." + m.group(1) + ".block." + m.group(2) + "." + resnetPart(m.group(3));
        }
        if ((m = ENC_DOWN.matcher(key)).matches()) {
            return "encoder.down." + m.group(1) + ".downsample." + m.group(2);
        }
        if ((m = DEC_RESNET.matcher(key)).matches()) {
            return "decoder.up." + (levels - 1 - Integer.parseInt(m.group(1))) + ".block." + m.group(2) + "."
                    + resnetPart(m.group(3));
        }
        if ((m = DEC_UP.matcher(key)).matches()) {
            return "decoder.up." + (levels - 1 - Integer.parseInt(m.group(1))) + ".upsample." + m.group(2);
        }
        if ((m = MID_RESNET.matcher(key)).matches()) {
            return m.group(1) + ".mid.block_" + (Integer.parseInt(m.group(2)) + 1) + "." + resnetPart(m.group(3));
        }
        if ((m = MID_ATTN.matcher(key)).matches()) {
            return m.group(1) + ".mid.attn_1." + attentionPart(m.group(2));
        }
        if ((m = NORM_OUT.matcher(key)).matches()) {
            return m.group(1) + ".norm_out." + m.group(2);
        }
        return key;
    }

    private static String resnetPart(String rest) {
        return rest.startsWith("conv_shortcut.") ? "nin_shortcut." + rest.substring("conv_shortcut.".length()) : rest;
    }

    private static String attentionPart(String rest) {
        String[][] renames = {
            {"group_norm.", "norm."}, {"to_q.", "q."}, {"to_k.", "k."}, {"to_v.", "v."}, {"to_out.0.", "proj_out."},
            {"query.", "q."}, {"key.", "k."}, {"value.", "v."}, {"proj_attn.", "proj_out."},
        };
        for (String[] r : renames) {
            if (rest.startsWith(r[0])) {
                return r[1] + rest.substring(r[0].length());
            }
        }
        return rest;
    }
}

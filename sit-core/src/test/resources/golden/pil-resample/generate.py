"""Regenerates the Pillow resampling fixtures (run with a python3 that has Pillow, no numpy needed).

Inputs are deterministic pseudo-random images; expected outputs are what Pillow's
Image.resize(BOX|BICUBIC) and ADM's center_crop_arr (SiT train.py) produce.
"""
import json, random, sys
from PIL import Image, __version__ as pil_version


def center_crop_arr(pil_image, image_size):
    # ADM / SiT train.py, with numpy slicing replaced by Image.crop (same pixels)
    while min(*pil_image.size) >= 2 * image_size:
        pil_image = pil_image.resize(tuple(x // 2 for x in pil_image.size), resample=Image.BOX)
    scale = image_size / min(*pil_image.size)
    pil_image = pil_image.resize(tuple(round(x * scale) for x in pil_image.size), resample=Image.BICUBIC)
    w, h = pil_image.size
    crop_y = (h - image_size) // 2
    crop_x = (w - image_size) // 2
    return pil_image.crop((crop_x, crop_y, crop_x + image_size, crop_y + image_size))


def noise_image(mode, w, h, seed, smooth):
    rnd = random.Random(seed)
    bands = 3 if mode == "RGB" else 1
    data = bytearray()
    for y in range(h):
        for x in range(w):
            for b in range(bands):
                if smooth:
                    v = int(127.5 + 60 * ((x * (b + 1)) % 17 - 8) / 8 + 40 * ((y * (b + 2)) % 13 - 6) / 6 + rnd.randint(-20, 20))
                else:
                    v = rnd.randint(0, 255)
                data.append(max(0, min(255, v)))
    return Image.frombytes(mode, (w, h), bytes(data))


cases = []
def add(name, img, op, **kw):
    img.save(f"{name}-in.png")
    if op == "resize":
        out = img.resize((kw["width"], kw["height"]), resample={"box": Image.BOX, "bicubic": Image.BICUBIC}[kw["filter"]])
    else:
        out = center_crop_arr(img, kw["image_size"])
    out.save(f"{name}-out.png")
    cases.append(dict(name=name, op=op, mode=img.mode, input=f"{name}-in.png", input_size=list(img.size),
                      expected=f"{name}-out.png", expected_size=list(out.size), **kw))

add("box-halve-rgb", noise_image("RGB", 64, 50, 1, False), "resize", filter="box", width=32, height=25)
add("box-odd-rgb", noise_image("RGB", 37, 23, 2, True), "resize", filter="box", width=18, height=11)
add("bicubic-up-rgb", noise_image("RGB", 23, 17, 3, False), "resize", filter="bicubic", width=32, height=24)
add("bicubic-down-rgb", noise_image("RGB", 50, 37, 4, True), "resize", filter="bicubic", width=20, height=15)
add("bicubic-up-gray", noise_image("L", 28, 28, 5, False), "resize", filter="bicubic", width=32, height=32)
add("bicubic-width-only-rgb", noise_image("RGB", 30, 20, 6, True), "resize", filter="bicubic", width=17, height=20)
add("crop-halve-twice-rgb", noise_image("RGB", 150, 131, 7, True), "center_crop", image_size=32)
add("crop-portrait-rgb", noise_image("RGB", 51, 77, 8, True), "center_crop", image_size=16)
add("crop-round-half-even-rgb", noise_image("RGB", 22, 16, 9, False), "center_crop", image_size=12)
add("crop-upscale-rgb", noise_image("RGB", 20, 26, 10, True), "center_crop", image_size=32)

# JPEG decoding: Pillow's (libjpeg) decode of a JPEG it wrote, for a tolerance check of Java's decoder
jpeg_src = noise_image("RGB", 48, 40, 11, True)
jpeg_src.save("decode-in.jpg", quality=90)
Image.open("decode-in.jpg").convert("RGB").save("decode-pillow.png")

json.dump(dict(generator="generate.py", pillow=pil_version, python=sys.version.split()[0],
               semantics="Pillow Image.resize with BOX/BICUBIC on 8-bit images (two passes, horizontal then vertical, "
                         "22-bit fixed-point coefficients, uint8 intermediate) and ADM center_crop_arr. "
                         "Exact: expected pixels must match bit for bit. decode-pillow.png is Pillow's decode of "
                         "decode-in.jpg (libjpeg); Java's JPEG decoder may differ by a few levels.",
               cases=cases, jpeg=dict(input="decode-in.jpg", pillow_decoded="decode-pillow.png")),
          open("manifest.json", "w"), indent=1)

"""Regenerates the NumPy .npz/.npy fixtures (python3 with numpy)."""
import json, sys, zipfile
import numpy as np

arr = (np.arange(2 * 4 * 5 * 3, dtype=np.int64) * 37 % 256).astype(np.uint8).reshape(2, 4, 5, 3)
np.savez("samples.npz", arr_0=arr)
with zipfile.ZipFile("samples.npz") as z:
    names = z.namelist()
    info = z.getinfo("arr_0.npy")
    open("arr_0.npy", "wb").write(z.read("arr_0.npy"))
np.save("latents_f4.npy", (np.arange(3 * 4 * 2 * 2, dtype=np.float32) / 7 - 2).reshape(3, 4, 2, 2))
np.save("labels_i8.npy", np.array([3, 0, 999], dtype=np.int64))
json.dump(dict(generator="generate.py", numpy=np.__version__, python=sys.version.split()[0],
               semantics="samples.npz = np.savez(arr_0=uint8 (2,4,5,3), value (i*37)%256 in C order); "
                         "arr_0.npy is its member extracted byte for byte; latents_f4.npy = arange(48)/7-2 as "
                         "float32 (3,4,2,2); labels_i8.npy = int64 [3,0,999].",
               npz_members=names, arr_0_compress_type=info.compress_type),
          open("manifest.json", "w"), indent=1)

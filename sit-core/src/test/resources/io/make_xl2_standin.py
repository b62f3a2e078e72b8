# Writes a torch.save zip checkpoint (no torch needed) of random SiT-XL/2 256px weights in the reference's
# key layout and order, float32: a stand-in for SiT-XL-2-256x256.pt to measure loading and sampling memory.
import sys, types, pickle, zipfile, collections
import numpy as np

torch = types.ModuleType('torch'); utils = types.ModuleType('torch._utils')
sys.modules['torch'] = torch; sys.modules['torch._utils'] = utils; torch._utils = utils
class FloatStorage: pass
FloatStorage.__module__ = 'torch'; torch.FloatStorage = FloatStorage
def _rebuild_tensor_v2(*a): pass
_rebuild_tensor_v2.__module__ = 'torch._utils'; utils._rebuild_tensor_v2 = _rebuild_tensor_v2

class Storage:
    def __init__(self, key, numel): self.key, self.numel = key, numel
class Tensor:
    def __init__(self, storage, size):
        self.storage, self.size = storage, size
    def __reduce__(self):
        stride, s = [], 1
        for d in reversed(self.size): stride.insert(0, s); s *= d
        return (_rebuild_tensor_v2, (self.storage, 0, tuple(self.size), tuple(stride), False, collections.OrderedDict()))
class P(pickle.Pickler):
    def persistent_id(self, o):
        if isinstance(o, Storage): return ('storage', FloatStorage, o.key, 'cpu', o.numel)
        return None

H, D, patch, cin, grid, classes = 1152, 28, 2, 4, 16, 1000
cout = 2 * cin
shapes = [('pos_embed', [1, grid * grid, H]), ('x_embedder.proj.weight', [H, cin, patch, patch]), ('x_embedder.proj.bias', [H]),
          ('t_embedder.mlp.0.weight', [H, 256]), ('t_embedder.mlp.0.bias', [H]), ('t_embedder.mlp.2.weight', [H, H]),
          ('t_embedder.mlp.2.bias', [H]), ('y_embedder.embedding_table.weight', [classes + 1, H])]
for i in range(D):
    b = f'blocks.{i}.'
    shapes += [(b + 'attn.qkv.weight', [3 * H, H]), (b + 'attn.qkv.bias', [3 * H]), (b + 'attn.proj.weight', [H, H]),
               (b + 'attn.proj.bias', [H]), (b + 'mlp.fc1.weight', [4 * H, H]), (b + 'mlp.fc1.bias', [4 * H]),
               (b + 'mlp.fc2.weight', [H, 4 * H]), (b + 'mlp.fc2.bias', [H]),
               (b + 'adaLN_modulation.1.weight', [6 * H, H]), (b + 'adaLN_modulation.1.bias', [6 * H])]
shapes += [('final_layer.linear.weight', [patch * patch * cout, H]), ('final_layer.linear.bias', [patch * patch * cout]),
           ('final_layer.adaLN_modulation.1.weight', [2 * H, H]), ('final_layer.adaLN_modulation.1.bias', [2 * H])]

sd = collections.OrderedDict()
for i, (k, s) in enumerate(shapes):
    sd[k] = Tensor(Storage(str(i), int(np.prod(s))), s)
import io
buf = io.BytesIO(); P(buf, protocol=2).dump(sd)
rng = np.random.default_rng(0)
total = 0
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_STORED, allowZip64=True) as z:
    z.writestr('archive/data.pkl', buf.getvalue())
    z.writestr('archive/byteorder', 'little')
    for i, (k, s) in enumerate(shapes):
        n = int(np.prod(s)); total += n
        with z.open(f'archive/data/{i}', 'w', force_zip64=True) as f:
            f.write((rng.standard_normal(n, dtype=np.float32) * 0.02).tobytes())
    z.writestr('archive/version', '3\n')
print(len(shapes), 'tensors,', total, 'parameters,', total * 4 / 1e9, 'GB')

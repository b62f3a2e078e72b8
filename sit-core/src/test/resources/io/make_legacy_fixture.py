"""Writes legacy_state_dict.pt: the pre-1.6 torch.save layout (torch/serialization.py _legacy_save),
emulated with the standard pickle module and stand-ins for torch's classes, because torch itself
is not installed where this was generated. Byte layout: pickle(MAGIC_NUMBER), pickle(1001),
pickle(sys_info), the object pickled with persistent ids
('storage', torch.FloatStorage, key, 'cpu', numel, None), pickle(sorted storage keys), then per
key: int64 little-endian element count + raw little-endian float32 / int64 elements.
Run: python3 make_legacy_fixture.py  (numpy needed)."""
import collections, io, pickle, struct, sys, types
import numpy as np

torch = types.ModuleType("torch"); utils = types.ModuleType("torch._utils")
torch._utils = utils; sys.modules["torch"] = torch; sys.modules["torch._utils"] = utils

def _stand_in(module, name, obj):
    obj.__module__ = module; obj.__qualname__ = name; obj.__name__ = name; setattr(sys.modules[module], name, obj)

class FloatStorage: pass
class LongStorage: pass
def _rebuild_tensor_v2(*args): raise RuntimeError("stand-in")
_stand_in("torch", "FloatStorage", FloatStorage)
_stand_in("torch", "LongStorage", LongStorage)
_stand_in("torch._utils", "_rebuild_tensor_v2", _rebuild_tensor_v2)

class Storage:
    def __init__(self, key, array):
        self.key, self.array = key, array
        self.type = FloatStorage if array.dtype == np.float32 else LongStorage

class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, size, stride
    def __reduce_ex__(self, proto):
        return (_rebuild_tensor_v2, (self.storage, self.offset, self.size, self.stride, False, collections.OrderedDict()))

storages = {"140001": Storage("140001", np.arange(12, dtype=np.float32) / 4),
            "140002": Storage("140002", np.array([3, -1, 7], dtype=np.int64))}
a, b = storages["140001"], storages["140002"]
state = collections.OrderedDict([
    ("layer.weight", Tensor(a, 0, (3, 4), (4, 1))),
    ("layer.weight_t", Tensor(a, 1, (3, 2), (1, 4))),
    ("counts", Tensor(b, 0, (3,), (1,))),
])

class Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", obj.type, obj.key, "cpu", obj.array.size, None)
        return None

f = io.BytesIO()
for header in (0x1950a86a20f9469cfc6c, 1001,
               dict(protocol_version=1001, little_endian=True, type_sizes=dict(short=2, int=4, long=4))):
    pickle.dump(header, f, protocol=2)
Pickler(f, protocol=2).dump(state)
keys = sorted(storages)
pickle.dump(keys, f, protocol=2)
for k in keys:
    arr = storages[k].array
    f.write(struct.pack("<q", arr.size)); f.write(arr.astype(arr.dtype.newbyteorder("<")).tobytes())
open("legacy_state_dict.pt", "wb").write(f.getvalue())

"""Writes protocol4-state-dict.bin: a torch.save-style zip whose pickle CPython's own pickler wrote.

PyTorch is not needed: stand-ins for torch's storage classes and rebuild functions are registered
under torch's module names, so the pickle names exactly the globals torch.save would. Protocol 4
adds what torch's default protocol 2 lacks (FRAME, STACK_GLOBAL, MEMOIZE, SHORT_BINUNICODE); an
OrderedDict with a `_metadata` attribute, as torch's state_dict() returns, adds BUILD.
Run: python3 make_protocol4_state_dict.py
"""
import collections
import io
import pickle
import struct
import sys
import types
import zipfile

torch = types.ModuleType("torch")
torch_utils = types.ModuleType("torch._utils")
torch._utils = torch_utils
sys.modules["torch"] = torch
sys.modules["torch._utils"] = torch_utils


def stand_in(module, name, value):
    value.__module__ = module.__name__
    value.__qualname__ = name
    setattr(module, name, value)
    return value


FloatStorage = stand_in(torch, "FloatStorage", type("FloatStorage", (), {}))
HalfStorage = stand_in(torch, "HalfStorage", type("HalfStorage", (), {}))
rebuild_tensor_v2 = stand_in(torch_utils, "_rebuild_tensor_v2", lambda *arguments: None)
rebuild_parameter = stand_in(torch_utils, "_rebuild_parameter", lambda *arguments: None)


class Storage:
    def __init__(self, storage_type, key, numel):
        self.storage_type, self.key, self.numel = storage_type, key, numel


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.arguments = (storage, offset, size, stride, False, collections.OrderedDict())

    def __reduce_ex__(self, protocol):
        return rebuild_tensor_v2, self.arguments


class Parameter:
    def __init__(self, tensor):
        self.tensor = tensor

    def __reduce_ex__(self, protocol):
        return rebuild_parameter, (self.tensor, True, collections.OrderedDict())


class StatePickler(pickle.Pickler):
    def persistent_id(self, value):
        if isinstance(value, Storage):
            return ("storage", value.storage_type, value.key, "cpu", value.numel)
        return None


floats = Storage(FloatStorage, "0", 6)
halves = Storage(HalfStorage, "1", 2)
state = collections.OrderedDict()
state["a.weight"] = Tensor(floats, 0, (2, 3), (3, 1))
state["a.bias"] = Parameter(Tensor(halves, 0, (2,), (1,)))
state["b.weight"] = Tensor(floats, 0, (3, 2), (1, 3))
state._metadata = collections.OrderedDict({"": {"version": 1}})

buffer = io.BytesIO()
StatePickler(buffer, protocol=4).dump(state)
with zipfile.ZipFile("protocol4-state-dict.bin", "w", zipfile.ZIP_STORED) as archive:
    archive.writestr("protocol4-state-dict/data.pkl", buffer.getvalue())
    archive.writestr("protocol4-state-dict/byteorder", "little")
    archive.writestr("protocol4-state-dict/data/0", struct.pack("<6f", 0, 1, 2, 3, 4, 5))
    archive.writestr("protocol4-state-dict/data/1", struct.pack("<2e", 1.5, -0.5))
    archive.writestr("protocol4-state-dict/version", "3\n")

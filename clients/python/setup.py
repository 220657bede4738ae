"""Build steps pyproject.toml cannot declare: the gRPC stubs are generated from the protos here.

``build_py`` runs grpc_tools.protoc over ``swinserve/v1/*.proto`` into ``swinserve/v1``
(``*_pb2.py``, ``*_pb2.pyi``, ``*_pb2_grpc.py``) of the build (of the source tree for an
editable install). The protos are read from ``proto/`` beside this file when building from an
sdist, else from the repository's ``proto/src/main/proto``; ``sdist`` copies them into
``proto/`` so that an sdist builds on its own. ``google/rpc/status.proto`` comes from the
googleapis-common-protos package, the well-known types from grpcio-tools.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

HERE = Path(__file__).resolve().parent
PROTO_PACKAGE = Path("swinserve", "v1")
PROTO_ROOTS = (HERE / "proto", HERE.parent.parent / "proto" / "src" / "main" / "proto")


def proto_root() -> Path:
    for root in PROTO_ROOTS:
        if any((root / PROTO_PACKAGE).glob("*.proto")):
            return root
    raise RuntimeError(f"no swinserve/v1/*.proto under any of {[str(r) for r in PROTO_ROOTS]}")


def googleapis_root() -> Path:
    for entry in sys.path:
        if (Path(entry) / "google" / "rpc" / "status.proto").is_file():
            return Path(entry)
    raise RuntimeError("google/rpc/status.proto not found: install googleapis-common-protos")


def generate(out: Path) -> None:
    import grpc_tools
    from grpc_tools import protoc

    root = proto_root()
    protos = sorted(str(p.relative_to(root)) for p in (root / PROTO_PACKAGE).glob("*.proto"))
    (out / PROTO_PACKAGE).mkdir(parents=True, exist_ok=True)
    well_known = Path(grpc_tools.__file__).parent / "_proto"
    arguments = [
        "grpc_tools.protoc",
        f"-I{root}",
        f"-I{googleapis_root()}",
        f"-I{well_known}",
        f"--python_out={out}",
        f"--pyi_out={out}",
        f"--grpc_python_out={out}",
        *protos,
    ]
    if protoc.main(arguments) != 0:
        raise RuntimeError(f"protoc failed: {' '.join(arguments)}")


class BuildPyWithStubs(build_py):
    def run(self) -> None:
        super().run()
        generate(HERE / "src" if self.editable_mode else Path(self.build_lib))


class SdistWithProtos(sdist):
    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        root = proto_root()
        target = Path(base_dir) / "proto" / PROTO_PACKAGE
        target.mkdir(parents=True, exist_ok=True)
        for proto in (root / PROTO_PACKAGE).glob("*.proto"):
            shutil.copy2(proto, target / proto.name)


setup(cmdclass={"build_py": BuildPyWithStubs, "sdist": SdistWithProtos})

"""The repository the harness serves and the values the fixtures say it must answer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Image:
    """A fixture image: its file, and the pixels Hugging Face's processor made of it (NHWC)."""

    name: str
    path: Path
    pixels: np.ndarray

    def encoded(self) -> bytes:
        return self.path.read_bytes()


@dataclass(frozen=True)
class Served:
    """The repository the harness serves and what the fixtures say the answers must be."""

    model: str
    versions: list[str]
    labels: dict[str, str]
    default_version: str
    endpoint: str
    endpoint_versions: list[str]
    side: int
    class_names: list[str]
    parity_bar: float
    reference_pixels: np.ndarray
    reference_logits: np.ndarray
    images: list[Image]

    @property
    def classes(self) -> int:
        return len(self.class_names)

    def image(self, name: str) -> Image:
        return next(image for image in self.images if image.name == name)


def _tensor(description: dict) -> np.ndarray:
    values = np.fromfile(description["file"], dtype="<f4")
    return values.reshape(description["shape"])


def load(path: Path) -> Served:
    document = json.loads(path.read_text(encoding="utf-8"))
    return Served(
        model=document["model"],
        versions=document["versions"],
        labels=document["labels"],
        default_version=document["default_version"],
        endpoint=document["endpoint"]["name"],
        endpoint_versions=document["endpoint"]["versions"],
        side=document["side"],
        class_names=document["class_names"],
        parity_bar=document["parity_bar"],
        reference_pixels=_tensor(document["reference"]["pixels"]),
        reference_logits=np.asarray(document["reference"]["logits"], dtype=np.float64),
        images=[
            Image(image["name"], Path(image["file"]), _tensor(image["pixels"]))
            for image in document["images"]
        ],
    )


def relative_error(actual: np.ndarray, expected: np.ndarray) -> float:
    """||actual - expected|| / ||expected||, in float64: the fixtures' parity measure."""
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    assert actual.shape == expected.shape, f"shape {actual.shape}, expected {expected.shape}"
    return float(np.linalg.norm(actual - expected) / np.linalg.norm(expected))


# An encoded image and the pixels Hugging Face's processor made of it are the same picture
# to within the fixtures' preprocessing bar (mean 0.5, largest 8 levels of 255), not bit for
# bit: their logits agree in the top class and to this relative error, not to the parity bar
# (measured on the mini fixture: at most 5e-5, the large JPEG; distinct pictures are 0.13
# apart or more, the PNG and the progressive JPEG of the same cat).
ENCODED_TOLERANCE = 1e-3


def assert_encoded_answers_match(names, from_files, from_pixels) -> None:
    """Each encoded image's logits are its own reference pixels' logits, and nearer to them
    than to any other image's: the tolerance tells the pictures apart."""
    for index, (name, actual, expected) in enumerate(zip(names, from_files, from_pixels)):
        assert top_classes(actual, 1) == top_classes(expected, 1), name
        error = relative_error(actual, expected)
        others = [
            (relative_error(actual, other), names[j])
            for j, other in enumerate(from_pixels)
            if j != index
        ]
        distance, other = min(others)
        print(f"{name}: relative error {error:.2e}; nearest other image {other} at {distance:.2e}")
        assert error <= ENCODED_TOLERANCE, f"{name}: relative error {error:.3g}"
        assert error < distance, f"{name} answers nearer to {other}'s pixels ({distance:.3g})"


def top_classes(logits: np.ndarray, count: int) -> list[int]:
    """The indices of the `count` largest logits, largest first."""
    return [int(index) for index in np.argsort(-np.asarray(logits), kind="stable")[:count]]

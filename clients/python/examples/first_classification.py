"""A first classification: python first_classification.py HOST:PORT MODEL IMAGE [IMAGE ...]

For example, against a server started with `./swinserve serve` on its default port:

    python examples/first_classification.py localhost:8500 swinv2-tiny cat.jpg
"""

from __future__ import annotations

import sys

import grpc

import swinserve


def main(argv: list[str]) -> int:
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    target, model, images = argv[1], argv[2], argv[3:]
    with swinserve.Client(target) as client:
        try:
            answer = client.classify(images, model=model, top_k=3)
        except grpc.RpcError as error:
            print(f"{error.code().name}: {error.details()}", file=sys.stderr)
            return 1
    print(f"answered by {answer.model.name} version {answer.model.version}")
    for image, classification in zip(images, answer.classifications):
        best = ", ".join(f"{c.label} {c.score:.3f}" for c in classification.classes)
        print(f"{image}: {best}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

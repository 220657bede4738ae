import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { toClassifyRequest } from "../../src/images.js";

describe("toClassifyRequest", () => {
  test("a path is read, bytes are sent as they are, both as encoded images", async () => {
    const folder = mkdtempSync(join(tmpdir(), "swinserve-ts-unit-"));
    const file = join(folder, "image.png");
    writeFileSync(file, Buffer.from([1, 2, 3]));
    const request = await toClassifyRequest([file, new Uint8Array([4, 5])], { model: "m" }).finally(() =>
      rmSync(folder, { recursive: true, force: true }),
    );
    assert.deepEqual(
      request.images?.map((image) => image.data),
      [
        { case: "encoded", value: Buffer.from([1, 2, 3]) },
        { case: "encoded", value: new Uint8Array([4, 5]) },
      ],
    );
  });

  test("pixels become a PixelTensor with 3 channels unless given", async () => {
    const request = await toClassifyRequest(
      { pixels: new Float32Array([0.5, 1, 2, 3, 4, 5]), height: 1, width: 2 },
      { model: "m" },
    );
    assert.deepEqual(request.images?.[0]?.data, {
      case: "pixels",
      value: { height: 1, width: 2, channels: 3, values: [0.5, 1, 2, 3, 4, 5] },
    });
  });

  test("options map to the request's fields; a version is an int64", async () => {
    const request = await toClassifyRequest(new Uint8Array([1]), {
      model: "m",
      version: 2,
      topK: 4,
      includeLogits: true,
      requestId: "r1",
      routingKey: "user-7",
    });
    assert.deepEqual(request.model, { name: "m", versionChoice: { case: "version", value: 2n } });
    assert.equal(request.topK, 4);
    assert.equal(request.includeLogits, true);
    assert.equal(request.requestId, "r1");
    assert.equal(request.routingKey, "user-7");
    const labelled = await toClassifyRequest(new Uint8Array([1]), { model: "m", label: "stable" });
    assert.deepEqual(labelled.model?.versionChoice, { case: "label", value: "stable" });
    const plain = await toClassifyRequest(new Uint8Array([1]), { model: "m" });
    assert.deepEqual(plain.model?.versionChoice, { case: undefined });
    assert.equal(plain.topK, 0, "0 asks for the server's default of 5");
  });

  test("refuses what cannot be an image request", async () => {
    await assert.rejects(toClassifyRequest([], { model: "m" }), /at least one image/);
    await assert.rejects(toClassifyRequest(new Uint8Array([1]), { model: "" }), /must name a model/);
    await assert.rejects(
      toClassifyRequest(new Uint8Array([1]), { model: "m", version: 1, label: "x" }),
      /not both/,
    );
    await assert.rejects(
      toClassifyRequest({ pixels: new Float32Array(5), height: 1, width: 2 }, { model: "m" }),
      /5 values do not fill 1 × 2 × 3/,
    );
    await assert.rejects(
      toClassifyRequest({ pixels: [], height: 0, width: 2 }, { model: "m" }),
      /height must be a positive integer/,
    );
    await assert.rejects(
      toClassifyRequest(42 as never, { model: "m" }),
      /expected a file path, encoded bytes or/,
    );
  });
});

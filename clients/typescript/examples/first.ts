// A first classification: node dist/examples/first.js [target] [model] image...
// e.g. node dist/examples/first.js localhost:8500 mini ../../testdata/.../chelsea.png
import { Client, SwinserveError } from "@swinserve/client";

const [target = "localhost:8500", model = "mini", ...images] = process.argv.slice(2);
if (images.length === 0) {
  console.error("usage: node dist/examples/first.js [target] [model] image...");
  process.exit(2);
}

const client = new Client(target);
try {
  const answer = await client.classify(images, { model, topK: 3 });
  console.log(`answered by ${answer.model?.name} version ${answer.model?.version}`);
  answer.classifications.forEach((classification, i) => {
    const best = classification.classes.map((c) => `${c.label} ${(c.score * 100).toFixed(1)} %`).join(", ");
    console.log(`${images[i]}: ${best}`);
  });
} catch (failure) {
  if (failure instanceof SwinserveError) {
    console.error(`classify failed: ${failure.codeName}: ${failure.details}`);
    process.exitCode = 1;
  } else {
    throw failure;
  }
} finally {
  client.close();
}

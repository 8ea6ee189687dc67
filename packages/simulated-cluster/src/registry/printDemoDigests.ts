import { DEMO_IMAGES, demoImageId } from './demoImages';

/**
 * Prints what a pod reports as `imageID` for each demo image, one per line
 * (`<image>  <imageID>  <state>`), to keep `examples/clusters/**` in step
 * with the demo registry:
 *   node --require @backstage/cli/config/nodeTransform.cjs src/registry/printDemoDigests.ts
 * Nothing is started: the digests follow from the image names alone.
 */
function main(): void {
  const rows = DEMO_IMAGES.map(seed => [
    `${seed.registry}/${seed.repository}:${seed.tags[0]}`,
    demoImageId(seed),
    seed.pushed ? seed.expected : `${seed.expected} (not pushed)`,
  ]);
  const width = Math.max(...rows.map(([image]) => image.length));
  for (const [image, imageId, state] of rows)
    process.stdout.write(`${image.padEnd(width)}  ${imageId}  ${state}\n`);
}

main();

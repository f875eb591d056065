// Runs an exported wgml model in onnxruntime (npm's onnxruntime-node) on the
// rows scripts/onnxrows wrote and compares its outputs with wgml's:
// reconstruction with the wgml package's (reconstruction.f32), latent with
// `wgml encode`'s CSV, score (and a VAE's score_recon, score_elbo) with
// `wgml score`'s CSV. Prints the max relative difference of each, row by
// row: max_j |ort - wgml| / max_j |wgml| over a row's values (a score is a
// row of one value), and exits 1 when one exceeds 1e-5. (Row-wise, since a
// latent or output value near 0 carries the float32 rounding of its
// row's larger terms.)
//
//	NODE_PATH=DIR/node_modules node scripts/onnx-check.js NAME model.onnx ROWS_DIR latents.csv score=scores.csv [score_elbo=elbo.csv ...]
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

const TOL = 1e-5;

function readF32(file) {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}

// column returns the named columns of a CSV with a header, row by row.
function columns(file, pick) {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const idx = head.map((h, i) => (pick(h) ? i : -1)).filter((i) => i >= 0);
  if (idx.length === 0) throw new Error(`${file}: no wanted column in ${head}`);
  const out = [];
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    for (const i of idx) out.push(Number(f[i]));
  }
  return out;
}

// maxRel returns the largest max_j |got - want| / max_j |want| over rows of
// width values (NaN when a value is NaN).
function maxRel(got, want, width, what) {
  if (got.length !== want.length) throw new Error(`${what}: ${got.length} values, wgml has ${want.length}`);
  let worst = 0;
  for (let i = 0; i < want.length; i += width) {
    let diff = 0, scale = 0;
    for (let j = i; j < i + width; j++) {
      diff = Math.max(diff, Math.abs(got[j] - want[j]));
      scale = Math.max(scale, Math.abs(want[j]));
    }
    const r = diff === 0 ? 0 : diff / scale;
    if (!(r <= worst)) worst = r; // NaN counts as worst
  }
  return worst;
}

async function main() {
  const [name, model, rowsDir, latents, ...scoreArgs] = process.argv.slice(2);
  const meta = JSON.parse(fs.readFileSync(path.join(rowsDir, 'meta.json'), 'utf8'));
  const input = readF32(path.join(rowsDir, 'input.f32'));
  const session = await ort.InferenceSession.create(model);
  const res = await session.run({ input: new ort.Tensor('float32', input, [meta.rows, meta.cols]) });
  const want = {
    reconstruction: readF32(path.join(rowsDir, 'reconstruction.f32')),
    latent: columns(latents, (h) => /^z\d+$/.test(h)),
  };
  for (const a of scoreArgs) {
    const [out, file] = a.split('=');
    want[out] = columns(file, (h) => h === 'score');
  }
  let failed = false;
  const parts = [];
  for (const [out, w] of Object.entries(want)) {
    if (!res[out]) throw new Error(`${name}: the graph has no output ${out}`);
    const width = out === 'reconstruction' ? meta.cols : out === 'latent' ? meta.latent : 1;
    const r = maxRel(res[out].data, w, width, out);
    parts.push(`${out} ${r.toExponential(2)}`);
    if (!(r <= TOL)) failed = true;
  }
  console.log(`onnx-check ${name}: ${meta.rows} rows x ${meta.cols}, onnxruntime ${ort.env.versions.common} vs wgml, max rel diff: ${parts.join(', ')}${failed ? '  FAIL (> 1e-5)' : '  ok'}`);
  if (failed) process.exit(1);
}

main().catch((e) => {
  console.error(`onnx-check: ${e.message}`);
  process.exit(1);
});

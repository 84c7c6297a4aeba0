package pricingdata

import "embed"

// GPUFS holds the self-hosting data read by pkg/gpu: gpu-instances.csv
// (cloud GPU instances with their on-demand price, region, source and price
// date), gpu-specs.csv (memory, bandwidth and dense tensor throughput per
// GPU) and model-specs.csv (open-weight model architectures). They are
// copied from the shared data set and validated by scripts/gen-gpu-data;
// README.md describes them.
//
//go:embed gpu-instances.csv gpu-specs.csv model-specs.csv
var GPUFS embed.FS

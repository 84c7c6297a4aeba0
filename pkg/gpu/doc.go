// Package gpu models the economics of self-hosting an open-weight model: which GPU instances can hold it at which precision, how many tokens per second they serve for a workload and latency target, and what that costs per 1M tokens and per month against an API price.
package gpu

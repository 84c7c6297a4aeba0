package gpu

import (
	"io/fs"

	pricingdata "github.com/llmcost/llmcost/pricing-data"
)

// pricingdataFS reads the embedded CSVs.
type pricingdataFS struct{}

func (pricingdataFS) ReadFile(name string) ([]byte, error) {
	return fs.ReadFile(pricingdata.GPUFS, name)
}

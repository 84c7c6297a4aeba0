// Package pricingdata embeds the generated model price catalog, one JSON file per provider.
package pricingdata

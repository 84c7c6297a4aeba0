// Package pricing loads the model price catalog, resolves model ids as logs
// spell them, and returns the rates in force at a given time.
package pricing

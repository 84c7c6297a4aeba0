// Package record defines Record, one LLM API call normalised across vendors and formats.
package record

// Package ingest turns log files into a stream of record.Record: it expands
// paths, decompresses, detects each file's format, splits lines and parses
// them on all cores, reporting malformed lines as file:line.
package ingest

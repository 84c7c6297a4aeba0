// Package report defines the versioned report document and renders it as
// a terminal table, JSON, CSV or Markdown.
package report

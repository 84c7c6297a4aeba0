// Package chart draws the HTML report's charts as inline SVG: stacked
// columns, horizontal bars and line charts with log axes and marked points,
// each a <figure> with an HTML legend, styled by the host page's CSS (CSS)
// so that light and dark colour schemes and print all work.
package chart

// Package chart draws the HTML report's charts as inline SVG: stacked
// columns, horizontal bars, line charts with log axes and marked points,
// and waterfalls (a total changed step by step), each a <figure> with an
// HTML legend, styled by the host page's CSS (CSS) so that light and dark
// colour schemes and print all work.
package chart

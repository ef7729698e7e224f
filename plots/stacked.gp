# llmcost chart template: stacked
# A cost breakdown: one bar per row (a scenario or a year, rowlabel[r]), one
# segment per column (capex, electricity, rental, staff..., series[i]); the
# total is written above each bar.
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border lc rgb '#FFFFFF'
set boxwidth 0.6 relative
set grid noxtics ytics
set xtics scale 0
if (yfrom0) {
    set yrange [0:*]
}
if (nrows > 8) {
    set xtics rotate by 30 right
}
total(n) = sum [j=1:n] column(j)
plot for [i=1:ncols] datafile using i:xtic(rowlabel[int($0)+1]) lt i title series[i] noenhanced, \
     datafile using 0:(total(ncols)):(gprintf(yfmt, total(ncols))) with labels offset 0,0.8 noenhanced notitle

# llmcost chart template: stacked
# A cost breakdown: one bar per row (a scenario or a year, rowlabel[r]), one
# segment per column (capex, electricity, rental, staff..., series[i]); the
# net total is written above each bar (columns ncols+1, ncols+2: the top of
# the bar and the total as a label, written by llmcost).
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border lc rgb '#FFFFFF'
set boxwidth 0.6 relative
set grid noxtics ytics
set xtics scale 0
if (nytics == 0) {
    if (yfrom0) {
        set yrange [0:*]
    }
    set offsets 0, 0, graph 0.08, 0
}
if (nrows > 8) {
    set xtics rotate by 30 right
}
plot for [i=1:ncols] datafile using i:xtic(rowlabel[int($0)+1]) lt i title series[i] noenhanced, \
     datafile using 0:(column(ncols+1)):(stringcolumn(ncols+2)) with labels offset 0,0.8 noenhanced notitle

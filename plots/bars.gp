# llmcost chart template: bars
# Grouped bars: one group per row (a metric, named by rowlabel[r]), one bar
# per column (a scenario, named by series[i]).  Columns ncols+1.. hold the
# values as labels ("4.2M") written by llmcost.
set style data histograms
set style histogram clustered gap 1.5
set style fill solid 0.85 noborder
set grid noxtics ytics
set xtics scale 0
if (nytics == 0 && logy == 0) {
    if (yfrom0) {
        set yrange [0:*]
    }
    set offsets 0, 0, graph 0.08, 0
}
if (nrows > 5) {
    set xtics rotate by 30 right
}
gap = 1.5
barx(r, i) = r + (i - (ncols + 1) / 2.0) / (ncols + gap)
plot for [i=1:ncols] datafile using i:xtic(rowlabel[int($0)+1]) lt i title series[i] noenhanced, \
     for [i=1:ncols] datafile using (barx($0, i)):i:(stringcolumn(ncols+i)) with labels offset 0,0.7 font ',11' noenhanced notitle

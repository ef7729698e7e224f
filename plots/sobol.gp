# llmcost chart template: sobol
# Sobol sensitivity indices, one group per input (rowlabel[r]).  Columns:
# first-order index, its confidence low, high; total index, low, high.
set style data histograms
set style histogram errorbars gap 1.5 lw 1.5
set errorbars lc rgb '#333333' lw 1.5
set style fill solid 0.85 noborder
set grid noxtics ytics
set xtics scale 0
set xzeroaxis lt -1 lc rgb '#404040'
if (nrows > 5) {
    set xtics rotate by 30 right
}
plot datafile using 1:2:3:xtic(rowlabel[int($0)+1]) lt 1 title series[1] noenhanced, \
     datafile using 4:5:6 lt 2 title series[4] noenhanced

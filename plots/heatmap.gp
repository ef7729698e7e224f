# llmcost chart template: heatmap
# A 2-D sweep: columns x, y, z, then the cell bounds xlo, xhi, ylo, yhi that
# llmcost computes (midpoints between grid values, geometric on log axes), so
# uneven and logarithmic grids are drawn right.  NaN cells stay blank.
set colorbox vertical
set cblabel cblabel_text noenhanced offset 1,0
if (nxtics == 0) {
    set autoscale xfix
}
if (nytics == 0) {
    set autoscale yfix
}
set grid front lc rgb '#80FFFFFF'
set style fill solid 1.0 noborder
unset key
plot datafile using 1:2:4:5:6:7:3 with boxxyerror fillcolor palette notitle

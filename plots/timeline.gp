# llmcost chart template: timeline
# Month by month: column 1 is the month.  With band = 1, columns 2, 3, 4 are
# low, median and high (P5, P50, P95): a filled band around the median line.
# Any other column is one more line.
# A sweep or a time line spans its first to last x.
if (nxtics == 0) {
    set autoscale xfix
}
if (band) {
    plot datafile using 1:2:4 with filledcurves lc rgb '#0072B2' fillstyle transparent solid 0.2 noborder title series[2].' – '.series[4] noenhanced, \
         datafile using 1:3 with lines lt 1 lw 3 title series[3] noenhanced, \
         for [i=5:ncols] datafile using 1:i with lines lt (i-3) title series[i] noenhanced
} else {
    plot for [i=2:ncols] datafile using 1:i with lines lt (i-1) title series[i] noenhanced
}

# llmcost chart template: line
# A sweep: column 1 is x, columns 2..ncols are metrics, one line each; the
# line titles are series[i].  Points are drawn only while they stay legible.
# A sweep or a time line spans its first to last x.
if (nxtics == 0) {
    set autoscale xfix
}
if (nrows > 40) {
    plot for [i=2:ncols] datafile using 1:i with lines lt (i-1) title series[i] noenhanced
} else {
    plot for [i=2:ncols] datafile using 1:i with linespoints lt (i-1) title series[i] noenhanced
}

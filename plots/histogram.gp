# llmcost chart template: histogram
# A Monte Carlo distribution: column 1 is the bin centre, column 2 the count.
# The cumulative share (%) is drawn on the right axis; markers are the
# percentiles (P5, P50, P95) the caller computed from the samples.
stats datafile using 2 nooutput name 'H'
set boxwidth binwidth absolute
set style fill solid 0.75 border lc rgb '#FFFFFF'
set ytics nomirror
set y2range [0:100]
set y2tics 20 nomirror format '%g%%'
set y2label y2label_text noenhanced
if (nxtics == 0) {
    set autoscale xfix
    set offsets binwidth/2.0, binwidth/2.0, 0, 0
}
if (nytics == 0 && logy == 0) {
    set yrange [0:*]
}
plot datafile using 1:2 with boxes lt 1 title series[2] noenhanced, \
     datafile using ($1+binwidth/2.0):(100.0*$2/H_sum) smooth cumulative axes x1y2 with lines lt 4 lw 3 title y2label_text noenhanced
